"""Runs: many scores at once, kept in the results store.

>>> from neuroalign.runs import run                                     # doctest: +SKIP
>>> table = run(["model-a", "model-b"], ["bench.x"], store="r.sqlite")  # doctest: +SKIP

:func:`run` scores a models x benchmarks grid (serially or on the executors of :mod:`neuroalign.distributed`),
:func:`neuroalign.runs.sweeps.run_sweeps` keeps layer profiles; both answer from the store what it holds. One score is
:func:`neuroalign.benchmarks.score` (the layer below: it knows nothing of stores or executors).
"""

from neuroalign.runs.grid import RESULTS_ENV, GridRow, default_store_path, open_store, request_parameters, run

__all__ = ["GridRow", "RESULTS_ENV", "default_store_path", "open_store", "request_parameters", "run"]
