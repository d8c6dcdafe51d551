"""Find a dataset's files in a local mirror directory and verify their sha256."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from neuroalign.data.manifest import load_manifest
from neuroalign.errors import NeuroAlignError

#: Environment variable naming a directory laid out as ``<mirror>/<dataset id>/<file name>``.
MIRROR_ENV = "NEUROALIGN_DATA_MIRROR"


class DataFileError(NeuroAlignError, FileNotFoundError):
    """A dataset file is missing or does not match its manifest checksum."""


def sha256_of(path: Path, *, block: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(block), b""):
            digest.update(chunk)
    return digest.hexdigest()


def locate_file(dataset_id: str, name: str, *, mirror: str | os.PathLike[str] | None = None) -> Path:
    """Path of a verified dataset file in the mirror.

    Parameters
    ----------
    dataset_id, name : str
        The dataset and the file name, as in the manifest.
    mirror : path-like, optional
        The mirror directory; defaults to ``$NEUROALIGN_DATA_MIRROR``.

    Raises
    ------
    DataFileError
        If no mirror is configured, the file is absent (the message says where it looked), or its sha256 differs
        from the manifest (the message shows both hashes).
    """
    entry = load_manifest(dataset_id).file(name)
    root = mirror if mirror is not None else os.environ.get(MIRROR_ENV)
    if root is None:
        raise DataFileError(f"no data mirror configured for {dataset_id}/{name}: pass mirror= or set {MIRROR_ENV}")
    path = Path(root) / dataset_id / name
    if not path.is_file():
        raise DataFileError(f"{dataset_id}/{name} not found: looked for {path}")
    actual = sha256_of(path)
    if actual != entry.sha256:
        raise DataFileError(f"{path} does not match its manifest: expected sha256 {entry.sha256}, got {actual}")
    return path
