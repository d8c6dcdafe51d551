"""Set aside a cached file whose checksum does not match: renamed next to itself, never deleted.

A file in the data cache may have been placed there by hand (a dataset without a download address) and may be
the user's only copy, so a mismatch moves it to ``<name>.mismatch-<first 12 hex of its sha256>`` and the caller
says where it went. The name carries the file's own hash, so setting the same bytes aside twice keeps one copy.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from neuroalign.errors.adapters import DataFileError

logger = logging.getLogger(__name__)

_SUFFIX = ".mismatch-"


def aside_name(path: Path, actual: str) -> Path:
    """Where :func:`set_aside` moves ``path`` whose sha256 is ``actual``."""
    return path.with_name(f"{path.name}{_SUFFIX}{actual[:12]}")


def set_aside(path: Path, expected: str, actual: str, *, inode: int | None = None) -> Path | None:
    """Rename ``path`` (sha256 ``actual``, ``expected`` wanted) to :func:`aside_name` and return the new path.

    Parameters
    ----------
    path : Path
        The file whose checksum does not match.
    expected, actual : str
        The manifest's sha256 and the file's.
    inode : int, optional
        The inode that was hashed. If ``path`` now holds another file (another process fetched a good copy into
        place meanwhile), nothing is moved and None is returned: check the new file.

    Raises
    ------
    DataFileError
        If the rename fails (a read-only cache): the file is left where it is and the message says so.
    """
    target = aside_name(path, actual)
    try:
        if inode is not None and os.lstat(path).st_ino != inode:
            return None
        os.replace(path, target)  # same directory: atomic; a symbolic link is moved, not what it points to
    except FileNotFoundError:
        if not target.exists():  # neither here nor set aside: someone else moved it elsewhere
            raise DataFileError(f"{path} disappeared while its checksum was being checked; try again") from None
    except OSError as error:
        raise DataFileError(f"{path} does not match its manifest (expected sha256 {expected}, got {actual}) and "
                            f"could not be moved aside to {target} ({error.strerror or error}); it was left as it "
                            "is. Replace it with a good copy or fix the cache directory's permissions.") from error
    logger.warning("set aside %s as %s: sha256 %s, expected %s", path, target.name, actual, expected)
    return target


def set_aside_copies(path: Path) -> list[Path]:
    """Copies of ``path`` set aside earlier (for messages that explain why a file is missing)."""
    return sorted(path.parent.glob(f"{path.name}{_SUFFIX}*")) if path.parent.is_dir() else []
