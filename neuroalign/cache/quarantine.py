"""Quarantine: a damaged cache file is renamed ``<name>.damaged`` (never read again, kept for inspection).

The entry it belonged to is then recomputed. ``neuroalign cache list`` shows quarantined files and ``neuroalign
cache clear --damaged`` deletes them: cache files can always be recomputed, but a file that went bad is evidence of
a disk or filesystem problem that the user may want to look at first.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from neuroalign.errors.adapters import DamagedCacheEntryError, DamagedCacheWarning

SUFFIX = ".damaged"


def is_quarantined(path: Path) -> bool:
    """Whether ``path`` is a quarantined file (``*.damaged`` or ``*.damaged-<n>``)."""
    stem, _, tail = path.name.rpartition(SUFFIX)
    return bool(stem) and (tail == "" or (tail.startswith("-") and tail[1:].isdigit()))


def quarantine_target(path: Path) -> Path:
    """A free ``<name>.damaged`` (or ``.damaged-<n>``) name next to ``path``."""
    target, n = path.with_name(path.name + SUFFIX), 1
    while target.exists():
        target, n = path.with_name(f"{path.name}{SUFFIX}-{n}"), n + 1
    return target


def quarantine(error: DamagedCacheEntryError, *, expected_inode: int | None = None, warn: bool = True,
               stacklevel: int = 2) -> None:
    """Rename the damaged file of ``error`` aside and warn, naming it; the caller holds the entry's lock.

    Parameters
    ----------
    error : DamagedCacheEntryError
        The file and what is wrong with it.
    expected_inode : int, optional
        The inode that was found damaged: if the path now holds another file (another process recomputed the
        entry meanwhile), nothing is renamed.
    warn : bool
        Issue a :class:`DamagedCacheWarning` (callers that report the file themselves pass False).
    stacklevel : int
        Passed on to :func:`warnings.warn`.

    Raises
    ------
    DamagedCacheEntryError
        If the file cannot be renamed (a read-only cache): it is left in place and the message says what to do.
    """
    path = Path(error.path)
    try:
        if expected_inode is not None and os.stat(path).st_ino != expected_inode:
            return
        target = quarantine_target(path)
        os.rename(path, target)
    except FileNotFoundError:
        return  # another process quarantined it first
    except OSError as problem:
        why = problem.strerror or str(problem)
        raise DamagedCacheEntryError(path, error.reason, f"it could not be moved aside ({why}); delete it, or use "
                                                         "a writable cache directory") from problem
    if warn:
        warnings.warn(f"damaged activation cache file {path} ({error.reason}) was moved to {target.name}; the entry is "
                      "recomputed. `neuroalign cache clear --damaged` deletes quarantined files.",
                      DamagedCacheWarning, stacklevel=stacklevel + 1)
