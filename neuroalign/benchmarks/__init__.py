"""Benchmarks: a fixed dataset, target, comparison, ceiling and statistics policy, and the scoring of models on them.

>>> from neuroalign.benchmarks import score
>>> score("efficientnet-lite0", "kriegeskorte2008.human_it.rsa")      # doctest: +SKIP

Every name is imported on first use (PEP 562), so that importing the package, or one light module of it, loads
no pandas, h5py or torch.
"""

from neuroalign.utils.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "neuroalign.benchmarks.base": ["Benchmark", "Evaluation"],
    "neuroalign.errors.benchmarks": ["CommitmentError", "FoldsError", "GridError", "ModalityMismatchError",
                                     "StimulusCoverageError"],
    "neuroalign.benchmarks.policy": ["StatsPolicy"],
    "neuroalign.benchmarks.registry": ["load_benchmark"],
    "neuroalign.benchmarks.rsa": ["RsaBenchmark"],
    "neuroalign.benchmarks.scoring": ["score", "sweep"],
    "neuroalign.benchmarks.time_resolved": ["TimeResolvedRsaBenchmark"],
    "neuroalign.benchmarks.time_resolved_predictivity": ["TimeResolvedPredictivityBenchmark"],
})
