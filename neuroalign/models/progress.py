"""Kept for imports written before the progress bar moved to :mod:`neuroalign.utils.progress`."""

from neuroalign.utils.progress import progress_bar, track

__all__ = ["progress_bar", "track"]
