"""Write files atomically: a reader sees either the old file, the complete new one, or nothing."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

from neuroalign.errors import NeuroAlignError
from neuroalign.utils.directories import UnwritableDirectoryError


class FileWriteError(NeuroAlignError, OSError):
    """Writing a file failed (disk full, quota, I/O error); the message names the file, and nothing was kept."""

    def __str__(self) -> str:  # OSError would otherwise format (errno, strerror) pairs
        return str(self.args[0]) if self.args else ""


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it replaces ``path``, on error it is removed.

    The temporary file lives in the same directory so that the final :func:`os.replace` is a rename within one
    filesystem, which POSIX makes atomic, and its contents are flushed to disk before the rename, so that a crash
    never leaves an empty file under the final name. A ``path`` that is a symbolic link is written through: the
    file it points to is replaced and the link is kept.

    Raises
    ------
    UnwritableDirectoryError
        If the directory cannot be created or written.
    FileWriteError
        If flushing or renaming the written file fails (disk full, I/O error); it names ``path``. Errors raised
        by the body (the caller's writing) pass through unchanged.
    """
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    except OSError as error:
        raise UnwritableDirectoryError(target.parent, "output", error) from error
    os.close(fd)
    tmp_path = Path(tmp)
    # mkstemp creates the file 0600; give the result the mode a plain open() would (0666 less the umask).
    umask = os.umask(0)
    os.umask(umask)
    tmp_path.chmod(0o666 & ~umask)
    try:
        yield tmp_path
        try:
            _flush_to_disk(tmp_path)
            os.replace(tmp_path, target)
        except OSError as error:  # the body's own errors pass through as they are; these are ours
            raise FileWriteError(f"writing {target} failed ({error.strerror or error}); nothing was written there"
                                 ) from error
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def _flush_to_disk(path: Path) -> None:
    with path.open("rb") as fh:  # fsync applies to the file, whichever descriptor asks
        os.fsync(fh.fileno())
