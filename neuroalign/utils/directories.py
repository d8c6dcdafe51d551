"""Directories neuroalign writes into (data cache, activation cache): created on demand, refused with the path."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from neuroalign.errors import NeuroAlignError


class UnwritableDirectoryError(NeuroAlignError, OSError):
    """A directory neuroalign must write into cannot be created or written (permissions, read-only, a file).

    Parameters
    ----------
    path : path-like
        The directory.
    what : str
        What the directory is for (``"activation cache"``, ``"data cache"``), named in the message.
    error : OSError
        The operating system's error.
    """

    def __init__(self, path: str | os.PathLike[str], what: str, error: OSError) -> None:
        self.path, self.what = Path(path), what
        reason = error.strerror or type(error).__name__
        super().__init__(f"the {what} directory {self.path} is not writable ({reason}: "
                         f"{error.filename or self.path}); choose another directory (--cache DIR or the "
                         "environment variable) or fix its permissions")

    def __str__(self) -> str:  # OSError would otherwise format (errno, strerror) pairs
        return str(self.args[0]) if self.args else ""


def writable_directory(path: str | os.PathLike[str], what: str) -> Path:
    """Create ``path`` if needed and check that a file can be created in it.

    A real probe file is created and removed: permission bits do not tell (root ignores them, a read-only mount
    or a full quota does not show in them).

    Raises
    ------
    UnwritableDirectoryError
        If the directory cannot be created or written; the message names it.
    """
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".neuroalign-write-probe-", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        raise UnwritableDirectoryError(path, what, error) from error
    return path
