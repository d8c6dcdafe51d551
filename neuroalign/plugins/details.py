"""Everything ``neuroalign info`` shows about one plugin, as (field, value) pairs."""

from __future__ import annotations

from typing import Any

from neuroalign.data.manifest import load_manifest, read_manifest_file
from neuroalign.plugins.contracts import as_benchmark, manifest_path
from neuroalign.plugins.groups import GROUPS
from neuroalign.plugins.resolve import PluginRecord, own_docstring

#: Benchmark attributes shown by ``neuroalign info``, in order.
BENCHMARK_FIELDS = ("version", "modality", "dataset", "metric", "ceiling_method")


def _manifest(record: PluginRecord) -> Any:
    if record.value is None:
        return load_manifest(record.id)
    return read_manifest_file(manifest_path(record.obj, record.id))


def _size(n: int | None) -> str:
    return "?" if n is None else f"{n} B"


def dataset_fields(record: PluginRecord) -> list[tuple[str, str]]:
    """Title, version, modality, adapter and files (name, size, sha256) of a dataset's manifest."""
    manifest = _manifest(record)
    files = "\n".join(f"{f.name}  {_size(f.size)}  {f.hash_spec}" for f in manifest.files)
    return [("title", manifest.title), ("version", manifest.version), ("modality", manifest.modality),
            ("adapter", manifest.adapter.name), ("manifest", str(manifest.path)),
            ("stimuli", str(manifest.stimuli["count"])), ("files", files), ("citation", manifest.citation)]


def benchmark_fields(record: PluginRecord) -> list[tuple[str, str]]:
    """Version, modality, dataset, metric, ceiling method, statistics policy (how a layer is committed to, the
    bootstrap), whether missing stimuli are allowed, and citation of a benchmark (instantiated)."""
    bench = as_benchmark(record.obj, record.id)
    fields = [(name, str(getattr(bench, name, None))) for name in BENCHMARK_FIELDS]
    stats = getattr(bench, "stats", None)
    if stats is not None and hasattr(stats, "as_dict"):
        fields.append(("stats", ", ".join(f"{k}={v}" for k, v in stats.as_dict().items())))
    fields.append(("allow_missing_stimuli", str(bool(getattr(bench, "allow_missing_stimuli", False)))))
    return [*fields, ("citation", str(getattr(bench, "citation", "")).strip())]


def plugin_details(record: PluginRecord) -> list[tuple[str, str]]:
    """``(field, value)`` pairs describing ``record``: where it comes from, its status, its documentation, and
    the kind-specific fields (benchmark settings, dataset manifest).

    Raises
    ------
    BrokenPluginError, PluginConflictError
        Not raised: a broken or conflicting plugin is described with its status and no kind-specific fields.
    """
    version = f" {record.version}" if record.version else ""
    fields = [("kind", record.kind), ("id", record.id), ("distribution", f"{record.distribution}{version}"),
              ("entry point", f"{GROUPS[record.kind]}: {record.id} = {record.value}" if record.value
               else "built-in (not an entry point)"),
              ("status", record.status)]
    if record.broken or record.conflict:
        return fields
    fields.append(("description", record.description))
    if record.kind == "benchmark":
        fields.extend(benchmark_fields(record))
    elif record.kind == "dataset":
        fields.extend(dataset_fields(record))
    if record.obj is not None:
        fields.append(("docstring", own_docstring(record.obj)))
    return fields
