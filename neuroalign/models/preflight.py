"""Memory preflight: estimate what an extraction will hold and refuse, with the options, before it runs out.

Memory is measured from the first batch (a real forward pass, so it is exact for the pooled sizes), then scaled
to the stimulus set. Streaming to the cache needs one batch in memory and the whole result on disk; an in-memory
extraction needs the whole result in memory.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from neuroalign.errors import InsufficientMemoryError
from neuroalign.utils.memory import available_memory  # noqa: F401  (re-exported: the one memory figure)

_MB = 1024 ** 2


@dataclass(frozen=True)
class Estimate:
    """Bytes an extraction needs, per layer and in total."""

    per_layer: Mapping[str, int]
    n_stimuli: int

    @property
    def total(self) -> int:
        """Bytes of the whole result (all layers, all stimuli)."""
        return sum(self.per_layer.values())

    def table(self) -> str:
        """The largest layers first, one per line."""
        rows = sorted(self.per_layer.items(), key=lambda kv: -kv[1])
        return "\n".join(f"  {name}: {size / _MB:,.1f} MB" for name, size in rows[:10])


def estimate(units: Mapping[str, int], n_stimuli: int, itemsize: int = 4) -> Estimate:
    """Bytes of each layer's ``(n_stimuli, units)`` matrix."""
    return Estimate({name: n_stimuli * int(u) * itemsize for name, u in units.items()}, n_stimuli)


def check(est: Estimate, *, in_memory: bool, memory_limit: int | None = None, cache_dir: Path | None = None,
          headroom: float = 0.8) -> None:
    """Raise :class:`InsufficientMemoryError` when the result will not fit where it is going.

    Parameters
    ----------
    est : Estimate
        From :func:`estimate`.
    in_memory : bool
        Whether the whole result will be held in memory (no cache) or streamed to ``cache_dir``.
    memory_limit : int, optional
        Bytes allowed; the available memory when omitted.
    cache_dir : Path, optional
        Where a streamed result goes (its free disk space is checked).
    headroom : float
        Fraction of the limit the result may take (the rest is for the model and the batch).
    """
    options = ("Options: pool the large layers (pooling='spatial_mean' or a token pooling), extract fewer layers, "
               "or stream to the activation cache (cache=ActivationCache(dir), the default) and read layers "
               "lazily; a smaller batch_size lowers the per-batch memory.")
    if in_memory:
        limit = memory_limit if memory_limit is not None else available_memory()
        if limit is not None and est.total > headroom * limit:
            raise InsufficientMemoryError(
                f"the activations of {est.n_stimuli} stimuli need {est.total / _MB:,.1f} MB in memory but only "
                f"{limit / _MB:,.1f} MB are available (80% usable). Largest layers:\n{est.table()}\n{options}")
        return
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(cache_dir).free
        if est.total > free:
            raise InsufficientMemoryError(
                f"the activations of {est.n_stimuli} stimuli need {est.total / _MB:,.1f} MB on disk but "
                f"{cache_dir} has {free / _MB:,.1f} MB free. Largest layers:\n{est.table()}\n{options} "
                "Or point the cache to a larger disk ($NEUROALIGN_CACHE_DIR).")
