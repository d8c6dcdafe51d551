"""Reading dataset manifests (``data_manifests/<id>.toml``)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from neuroalign.registry import unknown_name_error


@dataclass(frozen=True)
class ManifestFile:
    """One file of a dataset, with its checksum."""

    name: str
    sha256: str
    size: int | None = None


@dataclass(frozen=True)
class Manifest:
    """A dataset's declarative description: what it is, where it comes from, and its files' checksums."""

    id: str
    version: str
    title: str
    citation: str
    licence: str
    files: tuple[ManifestFile, ...]
    raw: dict[str, Any] = field(repr=False, default_factory=dict)

    def file(self, name: str) -> ManifestFile:
        """The entry of file ``name``."""
        for entry in self.files:
            if entry.name == name:
                return entry
        raise unknown_name_error(f"file of dataset {self.id!r}", name, [f.name for f in self.files])


def manifest_dir() -> Path:
    """Directory holding the manifests: ``$NEUROALIGN_MANIFESTS`` or the repository's ``data_manifests/``."""
    override = os.environ.get("NEUROALIGN_MANIFESTS")
    return Path(override) if override else Path(__file__).resolve().parents[2] / "data_manifests"


def load_manifest(dataset_id: str) -> Manifest:
    """Load and minimally check the manifest of ``dataset_id``."""
    directory = manifest_dir()
    path = directory / f"{dataset_id}.toml"
    if not path.exists():
        known = [p.stem for p in directory.glob("*.toml")]
        raise unknown_name_error("dataset", dataset_id, known)
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    files = tuple(ManifestFile(f["name"], f["sha256"], f.get("size")) for f in raw["files"])
    return Manifest(id=raw["id"], version=raw["version"], title=raw["title"], citation=raw["citation"].strip(),
                    licence=raw["licence"], files=files, raw=raw)
