"""Statistics: noise ceilings, bootstraps, permutation nulls, multiple-comparison corrections, reliability."""

from neuroalign.errors import NotEnoughStimuliError
from neuroalign.stats.intervals import bca_interval, percentile_interval
from neuroalign.stats._undefined import UndefinedResampleError, UndefinedResampleWarning
from neuroalign.stats.bootstrap import BootstrapResult, PairedDifferences, bootstrap_rdm_comparison
from neuroalign.stats.ceiling import CeilingNotABoundWarning, NoiseCeiling, NotEnoughSubjectsError, rdm_noise_ceiling
from neuroalign.stats.multiple import adjust_pvalues, bonferroni, fdr_bh
from neuroalign.stats.permutation import PermutationResult, permutation_p_value, permutation_test_rdm
from neuroalign.stats.reliability import Reliability, UndefinedReliabilityWarning, spearman_brown
from neuroalign.utils.renamed import moved_attribute

#: Names that moved to :mod:`neuroalign.metrics` (they resolve a metric id; statistics sit below metrics).
_MOVED = ("permutation_test_metric", "split_half_reliability")


def __getattr__(name: str):
    """The names of ``_MOVED``, from :mod:`neuroalign.metrics`, with a FutureWarning naming their new home."""
    if name in _MOVED:
        return moved_attribute(__name__, name, "neuroalign.metrics")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BootstrapResult",
    "CeilingNotABoundWarning",
    "NoiseCeiling",
    "NotEnoughStimuliError",
    "NotEnoughSubjectsError",
    "PairedDifferences",
    "PermutationResult",
    "Reliability",
    "UndefinedReliabilityWarning",
    "UndefinedResampleError",
    "UndefinedResampleWarning",
    "adjust_pvalues",
    "bca_interval",
    "bonferroni",
    "bootstrap_rdm_comparison",
    "fdr_bh",
    "percentile_interval",
    "permutation_p_value",
    "permutation_test_rdm",
    "rdm_noise_ceiling",
    "spearman_brown",
]
