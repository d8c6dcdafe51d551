"""Where a benchmark's numeric work runs: the extraction device, passed on to the RDM and comparison engines.

``device="auto"`` (the default of scoring) resolves to CUDA when torch sees a GPU (``docs/conventions.md``,
"Devices"). On a GPU the benchmark's RDMs and comparisons run there too; on the CPU (``None``, ``"cpu"``, or
``"auto"`` without a GPU) the engines keep their own fastest CPU path (``device=None``), so a CPU score is the same
number whichever way it was asked for. A benchmark opts in by accepting ``device=`` in
:meth:`~neuroalign.benchmarks.Benchmark.evaluate`; one that does not (a third-party benchmark written before) is
called without it.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Sequence

import numpy as np

from neuroalign.backend import get_backend
from neuroalign.benchmarks.base import Benchmark, Evaluation


def compute_device(device: Any) -> Any:
    """The CUDA ``torch.device`` that ``device`` resolves to, or ``None`` for the CPU.

    Raises
    ------
    DeviceUnavailableError
        If CUDA is asked for but not available (a ``ValueError``).
    """
    backend = get_backend(device)
    return backend.torch_device if backend.on_cuda else None


@functools.lru_cache(maxsize=None)
def _takes_device(evaluate: Any) -> bool:
    parameters = inspect.signature(evaluate).parameters.values()
    return any(p.name == "device" or p.kind is p.VAR_KEYWORD for p in parameters)


def evaluate_on(benchmark: Benchmark, features: np.ndarray, stimulus_ids: Sequence[str], *, n_bootstrap: int = 0,
                seed: int = 0, device: Any = None) -> Evaluation:
    """``benchmark.evaluate(...)``, on ``device`` when the benchmark takes one (see the module)."""
    if device is not None and _takes_device(type(benchmark).evaluate):
        return benchmark.evaluate(features, stimulus_ids, n_bootstrap=n_bootstrap, seed=seed, device=device)
    return benchmark.evaluate(features, stimulus_ids, n_bootstrap=n_bootstrap, seed=seed)
