"""What a resolved plugin object must be, per group: one place that names each group's contract.

Each contract lives beside what it describes (a benchmark's in :mod:`neuroalign.benchmarks.registry`, a model
adapter's in :mod:`neuroalign.models.model_ids`, a dataset plugin's manifest in
:mod:`neuroalign.data.plugin_manifests`, callables in :mod:`neuroalign.entry_points`); the catalogue and
``neuroalign plugin check`` read them from here.
"""

from __future__ import annotations

from typing import Any

from neuroalign.benchmarks.registry import as_benchmark
from neuroalign.data.plugin_manifests import manifest_path
from neuroalign.entry_points import require_callable

__all__ = ["as_benchmark", "as_model_adapter", "manifest_path", "require_callable"]


def as_model_adapter(adapter: Any, plugin_id: str) -> Any:
    """``adapter`` if it is a model adapter (see :func:`neuroalign.models.model_ids.as_model_adapter`)."""
    # neuroalign.models imports torch when the package loads: checking a model plugin may load it, listing may not.
    from neuroalign.models.model_ids import as_model_adapter as check

    return check(adapter, plugin_id)
