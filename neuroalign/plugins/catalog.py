"""Listing and looking up plugins of every kind: entry-point plugins and neuroalign's built-in items together."""

from __future__ import annotations

from typing import Any

from neuroalign.benchmarks.registry import load_benchmark  # noqa: F401  (re-exported: its home is benchmarks)
from neuroalign.data.plugin_manifests import dataset_manifest_paths  # noqa: F401  (re-exported)
from neuroalign.errors import UnknownNameError
from neuroalign.metrics.registry import metric_factory  # noqa: F401  (re-exported: its home is the registry)
from neuroalign.plugins.builtin import builtin_ids, builtin_records
from neuroalign.plugins.discovery import PluginEntry, conflicts, discover
from neuroalign.plugins.groups import KINDS, parse_kind
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
    entries = discover() if kind is None else discover(kinds[0])
    out = [r for k in kinds for r in _records(k, entries)]
    return sorted(out, key=lambda r: (KINDS.index(r.kind), r.id, r.distribution))


def plugin_ids(kind: str) -> list[str]:
    """The ids of ``kind``, built-in and registered, without resolving anything beyond the built-ins."""
    kind = parse_kind(kind)
    return sorted({*builtin_ids(kind), *(e.id for e in discover(kind))})


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
    """The model adapter a model id names: see :func:`neuroalign.models.model_ids.load_model`."""
    # neuroalign.models imports torch when the package loads: listing plugins must not, loading a model may.
    from neuroalign.models.model_ids import load_model as load

    return load(model_id, **options)


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
    registered = {(e.kind, e.id) for e in discover()}  # one pass over the installed distributions for every kind
    kinds = [k for k in KINDS if (k, plugin_id) in registered or plugin_id in builtin_ids(k)]
    if len(kinds) > 1:
        raise UnknownNameError(f"{plugin_id!r} is the id of a {' and a '.join(kinds)}; say which with --kind")
    if not kinds:
        raise unknown_name_error("plugin", plugin_id, {i for k in KINDS for i in plugin_ids(k)})
    return get_plugin(kinds[0], plugin_id)
