"""Runnable demonstrations on real data (the README's demo command)."""
