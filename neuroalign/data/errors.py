"""Errors of the data layer: manifests, checksums, missing files, archives.

Each error names the file (manifest, data file or archive) and, where there is one, the field or member at fault.
"""

from __future__ import annotations

import os

from neuroalign.errors import NeuroAlignError


class ManifestError(NeuroAlignError, ValueError):
    """A manifest is malformed: a missing field, a wrong type, an unknown adapter, a duplicate id.

    Parameters
    ----------
    path : path-like
        The manifest file.
    field : str
        Dotted path of the offending field (``"files[2].sha256"``); ``"<root>"`` for the whole document.
    message : str
        What is wrong and what to do.
    """

    def __init__(self, path: str | os.PathLike[str], field: str, message: str) -> None:
        self.path = os.fspath(path)
        self.field = field
        self.message = message
        super().__init__(f"{self.path}: field {field!r}: {message}")


class DataFileError(NeuroAlignError, FileNotFoundError):
    """A dataset file is missing, cannot be obtained, or does not match its manifest checksum."""

    def __str__(self) -> str:  # OSError would otherwise format (errno, strerror) pairs
        return str(self.args[0]) if self.args else ""


class ChecksumMismatchError(DataFileError, ValueError):
    """A file's checksum differs from the manifest's (or from the one trusted on first use); the file is not kept
    as a valid copy.

    Parameters
    ----------
    path : str
        The file that was checked (or the URL it was downloaded from).
    expected, actual : str
        The manifest's digest and the file's.
    note : str, optional
        What happened to the file and what to do.
    algorithm : str
        ``"sha256"`` or ``"md5"``.
    """

    def __init__(self, path: str, expected: str, actual: str, note: str = "", *, algorithm: str = "sha256") -> None:
        self.path, self.expected, self.actual, self.note = path, expected, actual, note
        self.algorithm = algorithm
        super().__init__(f"{path} does not match its manifest: expected {algorithm} {expected}, got {actual}."
                         + (f" {note}" if note else ""))


class MissingDataError(DataFileError):
    """Files could not be found locally and could not (offline mode) or may not be downloaded."""


class DownloadError(DataFileError):
    """A download failed (network, HTTP status); nothing was kept."""


class DamagedArchiveError(DataFileError, ValueError):
    """An archive cannot be read to the end (truncated, or not the format its manifest declares).

    Parameters
    ----------
    archive : path-like
        The archive file.
    fmt : str
        The format it was read as.
    error : Exception
        The decompressor's or archive reader's error.
    """

    def __init__(self, archive: str | os.PathLike[str], fmt: str, error: BaseException) -> None:
        self.archive = os.fspath(archive)
        detail = str(error) or "unexpected end of data"
        super().__init__(f"{self.archive} cannot be read as a {fmt} archive ({type(error).__name__}: {detail}); "
                         "it is truncated or damaged. If it came from the cache or a mirror, replace it with a good "
                         "copy; if its manifest's sha256 was computed from this file, recompute it from a complete "
                         "download.")


class UnsafeArchiveError(NeuroAlignError, ValueError):
    """An archive member would land outside the extraction directory, or is a link or a device."""

    def __init__(self, archive: str | os.PathLike[str], member: str, reason: str) -> None:
        self.archive, self.member = os.fspath(archive), member
        super().__init__(f"{self.archive}: member {member!r} {reason}; refusing to extract this archive")
