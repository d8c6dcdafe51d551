"""Statistics: noise ceilings, bootstraps, permutation nulls, multiple-comparison corrections, reliability."""

from neuroalign.stats._errors import NotEnoughStimuliError
from neuroalign.stats._intervals import bca_interval, percentile_interval
from neuroalign.stats._undefined import UndefinedResampleError, UndefinedResampleWarning
from neuroalign.stats.bootstrap import BootstrapResult, PairedDifferences, bootstrap_rdm_comparison
from neuroalign.stats.ceiling import CeilingNotABoundWarning, NoiseCeiling, NotEnoughSubjectsError, rdm_noise_ceiling
from neuroalign.stats.multiple import adjust_pvalues, bonferroni, fdr_bh
from neuroalign.stats.permutation import (PermutationResult, permutation_p_value, permutation_test_metric,
                                          permutation_test_rdm)
from neuroalign.stats.reliability import (Reliability, UndefinedReliabilityWarning, spearman_brown,
                                          split_half_reliability)

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
    "permutation_test_metric",
    "permutation_test_rdm",
    "rdm_noise_ceiling",
    "spearman_brown",
    "split_half_reliability",
]
