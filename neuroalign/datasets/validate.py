"""``neuroalign data validate``: check every manifest on its own, against the registered dataset adapters and
against the others (in the dataset layer, beside the adapters it checks names against; it was ``neuroalign.data``'s)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Iterable

from neuroalign.errors.adapters import ManifestError
from neuroalign.data.manifest import manifest_paths, read_manifest_file, read_toml
from neuroalign.datasets.registry import DATASET_ADAPTERS, register_plugin_adapters
from neuroalign.registry import unknown_name_error


@dataclass(frozen=True)
class ManifestProblem:
    """One problem found in a manifest file."""

    path: Path
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: field {self.field!r}: {self.message}"


def _file_problems(path: Path, adapters: Collection[str]) -> tuple[list[ManifestProblem], str | None]:
    try:
        raw = read_toml(path)
    except ManifestError as error:
        return [ManifestProblem(path, error.field, error.message)], None
    # jsonschema (40 ms) loads with the first validation, not with the datasets package (`neuroalign list`)
    from neuroalign.data.schema_check import schema_problems

    problems = [ManifestProblem(path, f, m) for f, m in schema_problems(raw)]
    if problems:
        return problems, raw.get("id") if isinstance(raw.get("id"), str) else None
    try:
        manifest = read_manifest_file(path)
    except ManifestError as error:
        return [ManifestProblem(path, error.field, error.message)], raw["id"]
    if manifest.adapter.name not in adapters:
        problems.append(ManifestProblem(path, "adapter.name",
                                        str(unknown_name_error("dataset adapter", manifest.adapter.name, adapters))))
    return problems, manifest.id


def validate_manifests(paths: Iterable[Path] | None = None) -> list[ManifestProblem]:
    """Every problem of the given manifests (default: all manifests in the search directories).

    Checks each file against the schema (fields, types, sha256 on every file), its id against its file name,
    its adapter against the registered adapters, and ids across files for duplicates. Adapters are looked up by
    name only; nothing heavy is imported.

    Returns
    -------
    list of ManifestProblem
        Empty when every manifest is valid.
    """
    # A plugin installed while Python runs: its adapter and its manifest are found together.
    register_plugin_adapters()
    problems: list[ManifestProblem] = []
    first_seen: dict[str, Path] = {}
    for path in (manifest_paths() if paths is None else [Path(p) for p in paths]):
        found, dataset_id = _file_problems(path, DATASET_ADAPTERS.names())
        problems.extend(found)
        if dataset_id is None:
            continue
        if dataset_id in first_seen:
            problems.append(ManifestProblem(path, "id", f"duplicate id {dataset_id!r}: also defined by "
                                                        f"{first_seen[dataset_id]}"))
        else:
            first_seen[dataset_id] = path
    return problems
