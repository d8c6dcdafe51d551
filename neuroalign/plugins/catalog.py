"""Listing and looking up plugins of every kind: entry-point plugins and neuroalign's built-in items together."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from neuroalign.errors import UnknownNameError
from neuroalign.plugins.builtin import builtin_records
from neuroalign.plugins.contracts import as_benchmark, as_model_adapter, manifest_path, require_callable
from neuroalign.plugins.discovery import PluginEntry, conflicts, discover
from neuroalign.plugins.errors import PluginContractError
from neuroalign.plugins.groups import KINDS, parse_kind
from neuroalign.plugins.model_ids import is_features_file, load_features_model, unknown_model_error
from neuroalign.plugins.resolve import PluginRecord, resolve, with_conflict
from neuroalign.registry import unknown_name_error


def _with_conflicts(records: list[PluginRecord]) -> list[PluginRecord]:
    clashing = conflicts(records)
    return [with_conflict(r, clashing[(r.kind, r.id)]) if (r.kind, r.id) in clashing else r for r in records]


def _records(kind: str, entries: list[PluginEntry]) -> list[PluginRecord]:
    return _with_conflicts([*builtin_records(kind), *(resolve(e) for e in entries if e.kind == kind)])


def list_plugins(kind: str | None = None) -> list[PluginRecord]:
    """Every registered plugin of ``kind`` (``"model"``, ``"models"``...; all kinds when None), with built-ins.

    Each entry point's light module is imported to describe it; a plugin that fails is returned marked broken
    (:attr:`PluginRecord.error`), and ids registered by more than one provider are marked
    (:attr:`PluginRecord.conflict`).

    Returns
    -------
    list of PluginRecord
        Sorted by kind (model, dataset, metric, benchmark), then id.
    """
    kinds = KINDS if kind is None else (parse_kind(kind),)
    entries = [e for k in kinds for e in discover(k)]
    out = [r for k in kinds for r in _records(k, entries)]
    return sorted(out, key=lambda r: (KINDS.index(r.kind), r.id, r.distribution))


def plugin_ids(kind: str) -> list[str]:
    """The ids of ``kind``, built-in and registered, without resolving anything beyond the built-ins."""
    kind = parse_kind(kind)
    return sorted({*(r.id for r in builtin_records(kind)), *(e.id for e in discover(kind))})


def get_plugin(kind: str, plugin_id: str) -> PluginRecord:
    """The record of one plugin; only the entry points with that id are resolved.

    Raises
    ------
    UnknownKindError
        For a kind that is not model, dataset, metric or benchmark.
    UnknownNameError
        For an id nobody registers (close matches suggested).
    """
    kind = parse_kind(kind)
    entries = [e for e in discover(kind) if e.id == plugin_id]
    found = [r for r in _records(kind, entries) if r.id == plugin_id]
    if not found:
        raise unknown_name_error(kind, plugin_id, plugin_ids(kind))
    return found[0]


def load_model(model_id: str, **options: Any) -> Any:
    """The model adapter a model id names (the grammar is in :mod:`neuroalign.plugins.model_ids`): a registered
    model plugin's ``load(**options)``, any transformers model (``hf:ORG/NAME[@REV]``, ``hf:/path``; options go to
    :func:`~neuroalign.models.hf.load_hf_model`), or a features file served as a precomputed model.

    Raises
    ------
    UnknownNameError
        For an id that is none of these (close plugin ids and how to name a model are suggested).
    BrokenPluginError, PluginConflictError
        For a plugin that fails to import, an id several distributions register.
    PluginContractError
        If the entry point is not callable or ``load`` returns no model adapter.
    ModelIdError, ModelNotFoundError, HubModelNotCachedError, UnsupportedModelError, ModelLoadError
        For an ``hf:`` id (see :func:`~neuroalign.models.hf.load_hf_model`).
    """
    from neuroalign.models.hf.ids import is_hf_id

    if is_hf_id(model_id):
        from neuroalign.models.hf import load_hf_model

        return load_hf_model(model_id, **options)
    if is_features_file(model_id) and model_id not in plugin_ids("model"):
        return load_features_model(model_id)
    if not any(e.id == model_id for e in discover("model")):
        raise unknown_model_error(model_id, plugin_ids("model"))
    load = get_plugin("model", model_id).get()
    require_callable(load, "model", model_id, "a load(**options) function")
    return as_model_adapter(load(**options), model_id)


def load_benchmark(benchmark_id: str) -> Any:
    """The :class:`~neuroalign.benchmarks.Benchmark` registered under ``benchmark_id``.

    Raises
    ------
    UnknownNameError, BrokenPluginError, PluginConflictError, PluginContractError
        As :func:`load_model`.
    """
    return as_benchmark(get_plugin("benchmark", benchmark_id).get(), benchmark_id)


def metric_factory(metric_id: str) -> tuple[Callable[[str | None], Any], str | None] | None:
    """The plugin factory whose id is the longest dotted prefix of ``metric_id``, and the rest of the id.

    Returns None when no metric plugin matches (the caller then reports the unknown id). Used by
    :func:`neuroalign.metrics.get_metric` after the built-in families.
    """
    parts = metric_id.split(".")
    ids = {e.id for e in discover("metric")}
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in ids:
            factory = get_plugin("metric", prefix).get()
            require_callable(factory, "metric", prefix, "a factory(rest_of_id) -> Metric")
            return factory, ".".join(parts[cut:]) or None
    return None


def dataset_manifest_paths() -> list[Path]:
    """The manifest files of the dataset plugins that resolve, are unique and declare ``MANIFEST``.

    A plugin that fails any of these is skipped here; ``neuroalign list datasets`` and ``neuroalign plugin check``
    say why.
    """
    from neuroalign.datasets.registry import register_plugin_adapters

    # A plugin's manifest names the plugin's adapter: enumerating one registers the other, so that a plugin
    # installed after neuroalign.datasets was imported validates and loads too.
    register_plugin_adapters()
    paths = []
    entries = discover("dataset")
    clashing = conflicts(entries)
    for entry in entries:
        if (entry.kind, entry.id) in clashing:
            continue
        record = resolve(entry)
        if record.broken:
            continue
        try:
            paths.append(manifest_path(record.obj, entry.id))
        except PluginContractError:
            continue
    return paths


def find_plugin(plugin_id: str, kind: str | None = None) -> PluginRecord:
    """The record of ``plugin_id`` in whichever kind registers it (or in ``kind`` only).

    Raises
    ------
    UnknownNameError
        If no kind has that id (close matches among all ids suggested), or if several kinds have it and no
        ``kind`` was given (the message names them).
    """
    if kind is not None:
        return get_plugin(kind, plugin_id)
    kinds = [k for k in KINDS if plugin_id in plugin_ids(k)]
    if len(kinds) > 1:
        raise UnknownNameError(f"{plugin_id!r} is the id of a {' and a '.join(kinds)}; say which with --kind")
    if not kinds:
        raise unknown_name_error("plugin", plugin_id, {i for k in KINDS for i in plugin_ids(k)})
    return get_plugin(kinds[0], plugin_id)
