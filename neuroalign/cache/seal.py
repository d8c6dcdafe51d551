"""The seal of a complete cache file: a sha256 of its bytes and its description, in the HDF5 user block.

HDF5 leaves the first bytes of a file (the *user block*, a power of two of at least 512 bytes) to the
application and finds its own data after them. A cache file reserves one when it is created and, once complete
and closed, gets this header written there::

    NEUROALIGN-ACTIVATION-CACHE 2 <user block size>
    data-sha256 <sha256 of every byte after the user block>
    meta-sha256 <sha256 of the JSON line below>
    {"key": ..., "doc": {...}, "layers": [...], "file_size": ...}

so the whole file is checked before h5py parses any of it (a damaged HDF5 file can crash or hang the library),
and listing the cache reads only this header (its own digest and the recorded size catch a damaged header, a
truncated or an empty file without reading the data).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from neuroalign.errors.adapters import DamagedCacheEntryError
from neuroalign.utils.canonical import canonical_json

MAGIC = b"NEUROALIGN-ACTIVATION-CACHE 2 "
_BLOCK = 1 << 20
_FIXED = len(MAGIC) + 20 + 2 * (len("data-sha256 ") + 64 + 1) + 2  # the lines around the JSON, generously


@dataclass(frozen=True)
class Seal:
    """What a sealed file's header says about it."""

    meta: Mapping[str, Any]
    data_sha256: str
    userblock: int


def userblock_size(meta: Mapping[str, Any]) -> int:
    """The user block (a power of two, at least 512 bytes) that holds the header of ``meta`` and a file size."""
    need = _FIXED + len(_meta_line({**meta, "file_size": 10 ** 20}))
    size = 512
    while size < need:
        size *= 2
    return size


def _meta_line(meta: Mapping[str, Any]) -> bytes:
    return canonical_json(meta, strict=False).encode("ascii")


def _data_sha256(fh: Any, start: int) -> str:
    digest = hashlib.sha256()
    fh.seek(start)
    for chunk in iter(lambda: fh.read(_BLOCK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def seal(path: Path, meta: Mapping[str, Any], userblock: int) -> None:
    """Write the header into the user block of the closed, complete HDF5 file ``path`` and flush it to disk."""
    with path.open("r+b") as fh:
        size = os.fstat(fh.fileno()).st_size
        line = _meta_line({**meta, "file_size": size})
        data = _data_sha256(fh, userblock)
        header = (MAGIC + str(userblock).encode() + b"\ndata-sha256 " + data.encode() + b"\nmeta-sha256 "
                  + hashlib.sha256(line).hexdigest().encode() + b"\n" + line + b"\n")
        if len(header) > userblock:  # userblock_size reserved room for this meta; a bug if not
            raise RuntimeError(f"cache header of {len(header)} bytes does not fit the {userblock}-byte user block")
        fh.seek(0)
        fh.write(header.ljust(userblock, b"\0"))
        fh.flush()
        os.fsync(fh.fileno())  # before the rename that publishes it: never a complete name on unwritten bytes


def read_seal(path: Path) -> Seal:
    """The header of ``path``, checked against itself and the file's size (the data bytes are not read).

    Raises
    ------
    DamagedCacheEntryError
        If the file is empty, has no header, its header is damaged, or its size differs from the recorded one.
    """
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            first = fh.readline(len(MAGIC) + 24)
            if size == 0:
                raise DamagedCacheEntryError(path, "the file is empty (0 bytes)")
            if not first.startswith(MAGIC):
                raise DamagedCacheEntryError(path, "no neuroalign integrity header (damaged, or not sealed by this "
                                                   "version of neuroalign)")
            try:
                userblock = int(first[len(MAGIC):].strip())
            except ValueError:
                raise DamagedCacheEntryError(path, "the integrity header is damaged") from None
            fh.seek(0)
            lines = fh.read(userblock).split(b"\n")
    except OSError as error:
        raise DamagedCacheEntryError(path, f"cannot be read ({error.strerror or error})") from error
    try:
        data, meta_digest, line = _field(lines[1], b"data-sha256 "), _field(lines[2], b"meta-sha256 "), lines[3]
        if hashlib.sha256(line).hexdigest() != meta_digest:
            raise ValueError
        meta = json.loads(line)
    except (IndexError, ValueError, UnicodeDecodeError):
        raise DamagedCacheEntryError(path, "the integrity header is damaged") from None
    if meta.get("file_size") != size:
        raise DamagedCacheEntryError(path, f"{size} bytes where {meta.get('file_size')} were written (truncated "
                                           "or extended)")
    return Seal(meta, data, userblock)


def _field(line: bytes, label: bytes) -> str:
    if not line.startswith(label) or len(line) != len(label) + 64:
        raise ValueError
    return line[len(label):].decode("ascii")


def verify_seal(path: Path) -> Seal:
    """:func:`read_seal`, then the sha256 of every data byte against the header's.

    Raises
    ------
    DamagedCacheEntryError
        As :func:`read_seal`, or if any byte after the header changed.
    """
    found = read_seal(path)
    try:
        with path.open("rb") as fh:
            actual = _data_sha256(fh, found.userblock)
    except OSError as error:
        raise DamagedCacheEntryError(path, f"cannot be read ({error.strerror or error})") from error
    if actual != found.data_sha256:
        raise DamagedCacheEntryError(path, f"its bytes changed since it was written (sha256 {actual}, sealed "
                                           f"{found.data_sha256})")
    return found
