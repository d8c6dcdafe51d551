"""The Dask worker's memory limit; the scoring task's memory preflight lives beside the model preflight, in
:mod:`neuroalign.models.scoring_memory` (re-exported here)."""

from __future__ import annotations

import importlib

#: Names of :mod:`neuroalign.models.scoring_memory` still importable from here, imported on first use:
#: neuroalign.models imports torch when the package loads, and a Dask scheduler or ``neuroalign --help`` must not.
_FROM_MODELS = ("BOOTSTRAP_BATCH", "LayerReader", "TaskFootprint", "choose_path", "task_features", "task_footprint")

__all__ = ["BOOTSTRAP_BATCH", "LayerReader", "TaskFootprint", "choose_path", "task_features", "task_footprint",
           "worker_memory_limit"]


def worker_memory_limit() -> int | None:
    """This Dask worker's memory limit in bytes, or ``None`` outside a worker (or a worker without a limit)."""
    try:
        from distributed import get_worker

        limit = get_worker().memory_manager.memory_limit
    except (ImportError, ValueError, AttributeError):  # not in a worker
        return None
    return int(limit) if limit else None


def __getattr__(name: str):
    """The scoring preflight's names, from :mod:`neuroalign.models.scoring_memory` (imported when first asked)."""
    if name in _FROM_MODELS:
        return getattr(importlib.import_module("neuroalign.models.scoring_memory"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
