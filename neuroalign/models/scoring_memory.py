"""Memory preflight of one scoring task: its peak against the worker's limit, before the scoring starts.

It sits beside the extraction's preflight (:mod:`neuroalign.models.preflight`: the first batch's sizes scaled to
the stimulus set, against memory when held there or disk when streamed to the cache), whose estimates it reuses;
the Dask worker's limit comes from the caller (:func:`neuroalign.distributed.memory.worker_memory_limit`). Once the activations exist, a
task holds the layers it scores, one layer's float64 copy and Gram matrix while its RDM is computed, the target
and model RDMs, and one batch of bootstrap resamples (ranked). That peak decides the path:

- ``"in_memory"``: every layer loaded at once (the fastest; what a serial run does);
- ``"streaming"``: layers read from the cache one at a time, when only that fits (cache-backed activations);
- neither fits: :class:`~neuroalign.models.errors.InsufficientMemoryError`, before any scoring, with the numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Iterator

from neuroalign.errors import InsufficientMemoryError
from neuroalign.models.preflight import available_memory, estimate

_MB = 1024 ** 2
#: Resamples per batched bootstrap call (``bootstrap_rdm_comparison``'s default batch_size).
BOOTSTRAP_BATCH = 100


@dataclass(frozen=True)
class TaskFootprint:
    """Bytes one scoring task holds, by part.

    Attributes
    ----------
    layers : mapping of str to int
        Each layer's float32 ``(n_stimuli, units)`` matrix.
    working : int
        The largest layer's float64 copy and the Gram matrix of its RDM.
    rdms : int
        Model and target RDMs (condensed float64) with their ranks.
    bootstrap : int
        One batch of resampled, ranked RDMs.
    resident : bool
        Whether the activations are already in memory (no cache): streaming cannot lower the peak then.
    """

    layers: Mapping[str, int]
    working: int
    rdms: int
    bootstrap: int
    resident: bool

    def peak(self, path: str) -> int:
        """Peak bytes on ``"in_memory"`` (every layer loaded) or ``"streaming"`` (one layer at a time)."""
        held = sum(self.layers.values()) if path == "in_memory" or self.resident else max(self.layers.values())
        return held + self.working + self.rdms + self.bootstrap

    def describe(self) -> str:
        """The parts, in MB."""
        return (f"layers {sum(self.layers.values()) / _MB:,.1f} MB (largest {max(self.layers.values()) / _MB:,.1f}"
                f" MB), RDM working set {self.working / _MB:,.1f} MB, RDMs {self.rdms / _MB:,.1f} MB, bootstrap "
                f"batch {self.bootstrap / _MB:,.1f} MB")


def task_footprint(units: Mapping[str, int], n_stimuli: int, *, n_targets: int = 1, n_bootstrap: int = 0,
                   resident: bool = False) -> TaskFootprint:
    """The :class:`TaskFootprint` of scoring layers of ``units`` on ``n_stimuli`` against ``n_targets`` RDMs."""
    per_layer = dict(estimate(units, n_stimuli).per_layer)
    pairs = n_stimuli * (n_stimuli - 1) // 2
    working = 2 * max(per_layer.values()) + 8 * n_stimuli ** 2
    batch = min(n_bootstrap, BOOTSTRAP_BATCH)
    return TaskFootprint(layers=per_layer, working=working, rdms=2 * 8 * pairs * (n_targets + 1),
                         bootstrap=2 * 8 * pairs * batch * (n_targets + 1), resident=resident)


def choose_path(footprint: TaskFootprint, memory_limit: int | None = None, *, headroom: float = 0.8) -> str:
    """``"in_memory"`` or ``"streaming"``: the fastest path whose peak fits ``headroom`` of the limit.

    Parameters
    ----------
    footprint : TaskFootprint
    memory_limit : int, optional
        Bytes allowed (a Dask worker's limit); the smaller of it and the available memory is used.

    Raises
    ------
    InsufficientMemoryError
        When even the streaming path does not fit, or the activations are in memory already and do not fit.
    """
    free = available_memory()
    limits = [v for v in (memory_limit, free) if v]
    if not limits:
        return "in_memory"
    limit = min(limits)
    for path in ("in_memory", "streaming"):
        if footprint.peak(path) <= headroom * limit:
            return path
    need = footprint.peak("in_memory" if footprint.resident else "streaming")
    raise InsufficientMemoryError(
        f"this scoring task needs about {need / _MB:,.1f} MB at its peak but the worker may use "
        f"{headroom * limit / _MB:,.1f} MB ({headroom:.0%} of {limit / _MB:,.1f} MB): {footprint.describe()}. "
        "Options: score fewer or pooled layers (layers=..., pooling='spatial_mean'), stream activations from the "
        "cache (cache=<directory> instead of None), or give the workers more memory (memory_limit=, or the SLURM "
        "memory= option with fewer processes per job).")


class LayerReader(Mapping):
    """Layers of lazily read :class:`~neuroalign.core.activations.Activations`, each loaded when asked for."""

    def __init__(self, activations: Any) -> None:
        self._activations = activations

    def __getitem__(self, layer: str) -> Any:
        if layer not in self._activations.layer_names:
            raise KeyError(layer)
        return self._activations.layer(layer)

    def __iter__(self) -> Iterator[str]:
        return iter(self._activations.layer_names)

    def __len__(self) -> int:
        return len(self._activations.layer_names)


def task_features(activations: Any, benchmark: Any, policy: Any, memory_limit: int | None = None,
                  *, resident: bool = False) -> Mapping[str, Any]:
    """The layers of ``activations`` to score, loaded at once or read one by one as the preflight decides."""
    names = activations.layer_names
    target = getattr(benchmark, "target", None)
    footprint = task_footprint({n: activations.n_units(n) for n in names}, len(activations.stimulus_ids),
                               n_targets=int(getattr(target, "n_rdms", 1)), n_bootstrap=policy.n_bootstrap,
                               resident=resident)
    if choose_path(footprint, memory_limit) == "streaming":
        return LayerReader(activations)
    return {name: activations.layer(name) for name in names}
