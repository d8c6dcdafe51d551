"""Benchmarks: a fixed dataset, target, comparison, ceiling and statistics policy, and the scoring of models on them.

>>> from neuroalign.benchmarks import score
>>> score("efficientnet-lite0", "kriegeskorte2008.human_it.rsa")      # doctest: +SKIP
"""

from neuroalign.benchmarks.base import Benchmark, Evaluation
from neuroalign.benchmarks.errors import CommitmentError, GridError, ModalityMismatchError, StimulusCoverageError
from neuroalign.benchmarks.policy import StatsPolicy
from neuroalign.benchmarks.rsa import RsaBenchmark
from neuroalign.benchmarks.scoring import score, sweep
from neuroalign.benchmarks.time_resolved import TimeResolvedRsaBenchmark

__all__ = ["Benchmark", "CommitmentError", "Evaluation", "GridError", "ModalityMismatchError", "RsaBenchmark",
           "StatsPolicy", "StimulusCoverageError", "TimeResolvedRsaBenchmark", "score", "sweep"]
