"""Runs: many scores at once, kept in the results store.

>>> from neuroalign.runs import run                                     # doctest: +SKIP
>>> table = run(["model-a", "model-b"], ["bench.x"], store="r.sqlite")  # doctest: +SKIP

:func:`run` scores a models x benchmarks grid (serially or on the executors of :mod:`neuroalign.distributed`),
:func:`neuroalign.runs.sweeps.run_sweeps` keeps layer profiles; both answer from the store what it holds. One score is
:func:`neuroalign.benchmarks.score` (the layer below: it knows nothing of stores or executors).

Every name is imported on first use (PEP 562), so that importing the package loads no pandas, h5py or torch.
"""

from neuroalign.utils.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "neuroalign.runs.grid": ["GridRow", "request_parameters", "run"],
    "neuroalign.store.default_store": ["RESULTS_ENV", "default_store_path", "open_store"],
})
