"""Reading dataset manifests (``data_manifests/<id>.toml``) into checked, immutable :class:`Manifest` objects."""

from __future__ import annotations

import copy
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from neuroalign.errors.adapters import ManifestError
from neuroalign.data.plugin_manifests import dataset_manifest_paths
from neuroalign.data.schema import UNPUBLISHED
from neuroalign.registry import unknown_name_error

#: Environment variable listing extra manifest directories (``os.pathsep``-separated), searched first.
MANIFESTS_ENV = "NEUROALIGN_MANIFESTS"


class _Checksummed:
    """The checksum a source publishes for a file or archive: sha256, md5, or none (trust on first use)."""

    sha256: str | None
    md5: str | None
    hash: str | None

    @property
    def checksum(self) -> tuple[str, str] | None:
        """``(algorithm, hex digest)`` as published (``("sha256", ...)`` or ``("md5", ...)``); None if unpublished."""
        if self.sha256:
            return "sha256", self.sha256
        if self.md5:
            return "md5", self.md5
        return None

    @property
    def published(self) -> bool:
        """Whether the source publishes a checksum of this file (else it is trusted on first use)."""
        return self.checksum is not None

    @property
    def hash_spec(self) -> str:
        """``"sha256:<hex>"``, ``"md5:<hex>"`` (pooch's form) or ``"unpublished"``."""
        checksum = self.checksum
        return UNPUBLISHED if checksum is None else f"{checksum[0]}:{checksum[1]}"


@dataclass(frozen=True)
class ManifestFile(_Checksummed):
    """One file of a dataset: its checksum, size and where it comes from (a URL, an archive member, or by hand).

    ``name`` may be a relative path (``sub-1/func/sub-1_task-x_run-01_bold.nii.gz``): the file lands at that
    path under the dataset's cache or mirror directory, so a BIDS dataset keeps its layout.
    """

    name: str
    sha256: str | None = None
    md5: str | None = None
    hash: str | None = None
    size: int | None = None
    url: str | None = None
    archive: str | None = None
    member: str | None = None
    origin: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class ManifestArchive(_Checksummed):
    """A downloadable archive that holds some of the dataset's files."""

    name: str
    url: str
    format: str
    sha256: str | None = None
    md5: str | None = None
    hash: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class AdapterSpec:
    """Which registered dataset adapter loads the dataset, with which keyword arguments."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Frozen all the way down: an adapter reading its parameters cannot change the manifest.
        object.__setattr__(self, "params", MappingProxyType(copy.deepcopy(dict(self.params))))


@dataclass(frozen=True)
class Manifest:
    """A dataset's declarative description: what it is, where it comes from, its files' checksums, its adapter."""

    id: str
    version: str
    title: str
    citation: str
    licence: str
    files: tuple[ManifestFile, ...]
    description: str = ""
    modality: str = ""
    source: Mapping[str, Any] = field(default_factory=dict)
    archives: tuple[ManifestArchive, ...] = ()
    stimuli: Mapping[str, Any] = field(default_factory=dict)
    adapter: AdapterSpec | None = None
    fetcher: Mapping[str, Any] | None = None
    path: Path | None = None
    raw: Mapping[str, Any] = field(repr=False, default_factory=dict)

    def file(self, name: str) -> ManifestFile:
        """The entry of file ``name``."""
        for entry in self.files:
            if entry.name == name:
                return entry
        raise unknown_name_error(f"file of dataset {self.id!r}", name, [f.name for f in self.files])

    def archive(self, name: str) -> ManifestArchive:
        """The entry of archive ``name``."""
        for entry in self.archives:
            if entry.name == name:
                return entry
        raise unknown_name_error(f"archive of dataset {self.id!r}", name, [a.name for a in self.archives])


def builtin_manifest_dir() -> Path:
    """The directory of neuroalign's own manifests (read only, never written at run time).

    An installed wheel carries them as ``neuroalign/data/manifests/`` (copied there at build time by
    ``setup.py``); a source checkout or an editable install reads the repository's ``data_manifests/``, the
    source of truth.
    """
    packaged = Path(__file__).resolve().parent / "manifests"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data_manifests"


def manifest_dirs() -> list[Path]:
    """Directories searched for manifests: those in ``$NEUROALIGN_MANIFESTS`` first, then the built-in one."""
    extra = [Path(p) for p in os.environ.get(MANIFESTS_ENV, "").split(os.pathsep) if p]
    return [*extra, builtin_manifest_dir()]


def plugin_manifest_paths() -> list[Path]:
    """Manifests shipped by dataset plugins (entry-point group ``neuroalign.datasets``), searched after the
    directories; resolving them imports each plugin's light module, and a broken or conflicting plugin is skipped
    (``neuroalign list datasets`` shows why)."""
    return dataset_manifest_paths()


def manifest_dir() -> Path:
    """The first manifest directory (``$NEUROALIGN_MANIFESTS``'s first entry, else the repository's)."""
    return manifest_dirs()[0]


def manifest_paths() -> list[Path]:
    """Every manifest: the ``*.toml`` files of the search directories, then the plugins' (duplicates included)."""
    return [*(p for d in manifest_dirs() if d.is_dir() for p in sorted(d.glob("*.toml"))), *plugin_manifest_paths()]


def list_manifests() -> list[str]:
    """Ids of the datasets with a manifest, sorted (read from the file names; nothing is parsed)."""
    return sorted({p.stem for p in manifest_paths()})


def _check_cross_references(raw: Mapping[str, Any], path: Path) -> None:
    if raw["id"] != path.stem:
        raise ManifestError(path, "id", f"is {raw['id']!r} but the file is named {path.name}; they must agree")
    archives = [a["name"] for a in raw.get("archives", [])]
    for what, names in (("files", [f["name"] for f in raw["files"]]), ("archives", archives)):
        seen: set[str] = set()
        for k, name in enumerate(names):
            if name in seen:
                raise ManifestError(path, f"{what}[{k}].name", f"duplicate name {name!r}")
            seen.add(name)
    for what in ("files", "archives"):
        for k, entry in enumerate(raw.get(what, [])):
            if ("sha256" in entry or "md5" in entry) and "size" not in entry and "fetcher" not in raw:
                raise ManifestError(path, f"{what}[{k}].size", "is required with a published hash (give the byte "
                                                                "size the source publishes with it); only a dataset "
                                                                "fetched by its library ([fetcher]) may omit it")
    for k, entry in enumerate(raw["files"]):
        if "archive" in entry and entry["archive"] not in archives:
            raise ManifestError(path, f"files[{k}].archive",
                                f"names archive {entry['archive']!r}, which [[archives]] does not list "
                                f"(listed: {archives})")


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed TOML document of a manifest file.

    Raises
    ------
    ManifestError
        If the file cannot be read, is not UTF-8 text, or is not valid TOML; the message names the file.
    """
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(path, "<root>", f"is not valid TOML: {error}") from None
    except UnicodeDecodeError as error:
        raise ManifestError(path, "<root>", f"is not UTF-8 text (byte {error.start}); save it as UTF-8") from None
    except OSError as error:
        raise ManifestError(path, "<root>", f"cannot be read: {error.strerror or error}") from None


def read_manifest_file(path: str | os.PathLike[str]) -> Manifest:
    """Parse and check one manifest file.

    Raises
    ------
    ManifestError
        For an unreadable file, invalid TOML, a schema violation (missing field, wrong type, malformed sha256), an
        id that differs from the file name, or a duplicate or dangling name; the message names the file and the
        field.
    """
    path = Path(path)
    raw = read_toml(path)
    # jsonschema is imported only here: listing datasets reads the manifest directories and must stay light
    from neuroalign.data.schema_check import check_schema

    check_schema(raw, path)
    _check_cross_references(raw, path)
    adapter = raw["adapter"]
    return Manifest(
        id=raw["id"], version=raw["version"], title=raw["title"], citation=raw["citation"].strip(),
        licence=raw["licence"], description=raw["description"].strip(), modality=raw["modality"],
        source=MappingProxyType(dict(raw["source"])),
        files=tuple(ManifestFile(**f) for f in raw["files"]),
        archives=tuple(ManifestArchive(**a) for a in raw.get("archives", [])),
        stimuli=MappingProxyType(dict(raw["stimuli"])),
        adapter=AdapterSpec(adapter["name"], adapter.get("params", {})),
        fetcher=MappingProxyType(dict(raw["fetcher"])) if "fetcher" in raw else None,
        path=path, raw=MappingProxyType(raw),
    )


def manifest_file(dataset_id: str) -> Path:
    """The manifest file of ``dataset_id``: the first manifest directory that has it, else a dataset plugin's.

    Raises
    ------
    UnknownNameError
        If no directory has a manifest of that id (close names are suggested).
    """
    for directory in manifest_dirs():
        path = directory / f"{dataset_id}.toml"
        if path.is_file():
            return path
    for path in plugin_manifest_paths():
        if path.stem == dataset_id:
            return path
    raise unknown_name_error("dataset", dataset_id, list_manifests())


def load_manifest(dataset_id: str) -> Manifest:
    """Load the manifest of ``dataset_id`` from the first manifest directory that has it, else from a dataset plugin.

    Raises
    ------
    UnknownNameError
        If no directory has a manifest of that id (close names are suggested).
    ManifestError
        If the manifest is malformed.
    """
    return read_manifest_file(manifest_file(dataset_id))


def manifest_citation(dataset_id: str) -> str:
    """The ``citation`` of a dataset's manifest, read without checking the rest of the manifest against the schema.

    For showing where data come from (``neuroalign info``, a benchmark's citation): the schema check imports
    jsonschema, which alone takes longer than the rest of such a command. A manifest whose citation is missing or
    not text is read in full, so that its error is the schema's. The data are never loaded this way: every load
    goes through :func:`load_manifest`.

    Raises
    ------
    UnknownNameError, ManifestError
        As :func:`load_manifest`.
    """
    path = manifest_file(dataset_id)
    citation = read_toml(path).get("citation")
    return citation.strip() if isinstance(citation, str) else read_manifest_file(path).citation
