"""Small helpers shared by several layers (atomic files, progress)."""
