"""Safe, atomic extraction of zip and tar archives.

Every member is checked before anything is written: no absolute path, no path that climbs out of the target
(``..``), no link whose target lies outside it, no device or FIFO. Extraction goes to a temporary directory next
to the target that is renamed into place only when complete, so an interrupted extraction leaves nothing that
counts as extracted.
"""

from __future__ import annotations

import io
import lzma
import os
import posixpath
import shutil
import stat
import tarfile
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from neuroalign.errors.adapters import DamagedArchiveError, DataFileError, UnsafeArchiveError
from neuroalign.registry import Registry


@dataclass(frozen=True)
class Member:
    """What the safety check needs to know about one archive member."""

    name: str
    link: str | None = None  # the link target, for symbolic and hard links
    hard: bool = False  # hard links name another member; symbolic links are relative to the link's directory
    special: bool = False  # device, FIFO, or another type that is neither file, directory nor link


def _escapes(path: str) -> bool:
    normal = posixpath.normpath(path.replace("\\", "/"))
    return posixpath.isabs(normal) or normal == ".." or normal.startswith("../") or ":" in normal.split("/")[0]


def check_members(archive: str | os.PathLike[str], members: Sequence[Member]) -> None:
    """Raise :class:`UnsafeArchiveError` for the first member that is not safe to extract."""
    for member in members:
        if _escapes(member.name):
            raise UnsafeArchiveError(archive, member.name, "has a path that escapes the extraction directory")
        if member.special:
            raise UnsafeArchiveError(archive, member.name, "is a device, FIFO or other special file")
        if member.link is not None:
            base = "" if member.hard else posixpath.dirname(member.name)
            if posixpath.isabs(member.link) or _escapes(posixpath.join(base, member.link)):
                raise UnsafeArchiveError(archive, member.name,
                                         f"is a link to {member.link!r}, outside the extraction directory")


def _tar_members(tar: tarfile.TarFile) -> list[Member]:
    return [Member(m.name, m.linkname if (m.issym() or m.islnk()) else None, m.islnk(),
                   not (m.isfile() or m.isdir() or m.issym() or m.islnk())) for m in tar.getmembers()]


def _zip_members(zf: zipfile.ZipFile) -> list[Member]:
    out = []
    for info in zf.infolist():
        mode = info.external_attr >> 16
        link = zf.read(info).decode("utf-8", "replace") if stat.S_ISLNK(mode) else None
        out.append(Member(info.filename, link))
    return out


def _extract_tar(archive: Path, into: Path, wanted: Sequence[str] | None) -> None:
    with tarfile.open(archive, "r:*") as tar:
        check_members(archive, _tar_members(tar))
        chosen = None if wanted is None else [tar.getmember(name) for name in _present(archive, tar.getnames(), wanted)]
        # Python's "data" filter is a second line of defence behind check_members (and drops unsafe modes).
        tar.extractall(into, members=chosen, filter="data")
        if not isinstance(tar.fileobj, io.BufferedReader):
            # A compressed stream checks its CRC only at its end, which tarfile never reads: drain it, so that
            # flipped bytes raise here rather than being extracted silently.
            while tar.fileobj.read(1 << 20):
                pass


def _extract_zip(archive: Path, into: Path, wanted: Sequence[str] | None) -> None:
    with zipfile.ZipFile(archive) as zf:
        check_members(archive, _zip_members(zf))
        zf.extractall(into, members=None if wanted is None else _present(archive, zf.namelist(), wanted))


def _present(archive: Path, names: Sequence[str], wanted: Sequence[str]) -> list[str]:
    missing = sorted(set(wanted) - set(names))
    if missing:
        raise UnsafeArchiveError(archive, missing[0], "is not in the archive")
    return list(wanted)


#: What archive readers and decompressors raise for a truncated or corrupt archive (gzip's and bz2's errors are
#: OSErrors without an errno, told apart from real I/O errors below).
_DAMAGED = (EOFError, tarfile.TarError, zipfile.BadZipFile, zlib.error, lzma.LZMAError)


def _extract_reporting(extract: Callable[[Path, Path, Sequence[str] | None], None], archive: Path, into: Path,
                       members: Sequence[str] | None, fmt: str, target: Path) -> None:
    try:
        extract(archive, into, members)
    except _DAMAGED as error:
        raise DamagedArchiveError(archive, fmt, error) from error
    except OSError as error:
        if error.errno is None:  # gzip.BadGzipFile, bz2's "Invalid data stream"
            raise DamagedArchiveError(archive, fmt, error) from error
        raise DataFileError(f"extracting {archive} into {target} failed: {error.strerror} "
                            f"({error.filename or archive}); nothing was kept") from error


#: Archive format (as in the manifest's ``format`` field) -> extractor ``(archive, into, members)``.
EXTRACTORS: Registry[Callable[[Path, Path, Sequence[str] | None], None]] = Registry("archive format")
EXTRACTORS.register("zip", _extract_zip)
for _fmt in ("tar", "tar.gz", "tar.bz2", "tar.xz"):
    EXTRACTORS.register(_fmt, _extract_tar)


def safe_extract(archive: str | os.PathLike[str], target: str | os.PathLike[str], fmt: str,
                 members: Sequence[str] | None = None) -> Path:
    """Extract ``archive`` (or only ``members`` of it) into the directory ``target``, safely and atomically.

    Parameters
    ----------
    archive : path-like
        The archive file.
    target : path-like
        The directory to create; if it already exists it is left as it is and returned (an earlier complete
        extraction).
    fmt : str
        ``"zip"``, ``"tar"``, ``"tar.gz"``, ``"tar.bz2"`` or ``"tar.xz"``.
    members : sequence of str, optional
        Member names to extract; all members are still checked.

    Raises
    ------
    UnsafeArchiveError
        If any member is unsafe (the archive is refused as a whole) or a requested member is absent.
    DamagedArchiveError
        If the archive cannot be read to the end (truncated, corrupt, or not in format ``fmt``).
    DataFileError
        If writing the extracted files fails (disk full, permissions); the message names archive and target.
    """
    archive, target = Path(archive), Path(target)
    extract = EXTRACTORS.get(fmt)
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        _extract_reporting(extract, archive, staging, members, fmt, target)
        try:
            os.rename(staging, target)
        except OSError:  # another process finished the same extraction first
            if not target.is_dir():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target
