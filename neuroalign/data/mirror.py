"""Checksums, and finding a dataset's files in read-only mirror directories."""

from __future__ import annotations

import hashlib
from pathlib import Path

from neuroalign.errors.adapters import ChecksumMismatchError, DataFileError
from neuroalign.data.settings import MIRROR_ENV  # noqa: F401  (re-exported: the CLI names it in its help)


def digest_of(path: str | Path, algorithm: str = "sha256", *, block: int = 1 << 20) -> str:
    """Hex digest (``"sha256"`` or ``"md5"``) of a file, read in blocks.

    Raises
    ------
    DataFileError
        If the file cannot be read (missing, a directory, no permission, an I/O error); the message names it.
    """
    digest = hashlib.new(algorithm)
    try:
        with Path(path).open("rb") as fh:
            for chunk in iter(lambda: fh.read(block), b""):
                digest.update(chunk)
    except OSError as error:
        raise DataFileError(f"cannot read {path} to compute its {algorithm}: {error.strerror or error}") from error
    return digest.hexdigest()


def sha256_of(path: str | Path, *, block: int = 1 << 20) -> str:
    """Hex sha256 of a file (see :func:`digest_of`)."""
    return digest_of(path, "sha256", block=block)


def verify(path: Path, expected: str, *, note: str = "", algorithm: str = "sha256") -> Path:
    """Return ``path`` if its digest is ``expected``; else raise :class:`ChecksumMismatchError` (both hashes shown)."""
    actual = digest_of(path, algorithm)
    if actual != expected:
        raise ChecksumMismatchError(str(path), expected, actual, note, algorithm=algorithm)
    return path


def find_in_mirrors(mirrors: list[Path], dataset_id: str, name: str) -> tuple[Path | None, list[Path]]:
    """The first ``<mirror>/<dataset_id>/<name>`` that exists, and every candidate looked at."""
    candidates = [m / dataset_id / name for m in mirrors]
    found = next((c for c in candidates if c.is_file()), None)
    return found, candidates
