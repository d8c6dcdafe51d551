"""Exception and warning types of the activation cache."""

from __future__ import annotations

import os

from neuroalign.errors import NeuroAlignError, ShapeMismatchError
from neuroalign.utils.atomic import FileWriteError


class CacheError(NeuroAlignError, ValueError):
    """A cache file or request is unusable (unknown key, a file of another format, an ambiguous key prefix)."""


class DamagedCacheEntryError(CacheError):
    """A cache file fails its integrity check (flipped bytes, truncated, empty, missing datasets).

    Raised by the checks themselves (the cache then quarantines the file and recomputes), and to the caller only
    where that is impossible: a read-only cache, or a file damaged while it was being read.

    Parameters
    ----------
    path : path-like
        The damaged file.
    reason : str
        What is wrong with it.
    advice : str, optional
        What to do, appended to the message.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str, advice: str = "") -> None:
        self.path, self.reason = os.fspath(path), reason
        super().__init__(f"damaged activation cache file {self.path}: {reason}" + (f"; {advice}" if advice else ""))


class CacheWriteError(FileWriteError):
    """Writing a cache entry failed (disk full, quota, I/O error); the message names the file."""


class DamagedCacheWarning(RuntimeWarning):
    """A damaged cache file was quarantined (renamed ``*.damaged``) and its entry is being recomputed."""


class InconsistentShapeError(ShapeMismatchError):
    """A layer gave a different number of units for one batch than for an earlier one."""
