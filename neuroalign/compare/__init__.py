"""RDM comparators: many-vs-many comparisons of condensed RDMs in one batched call.

>>> from neuroalign.compare import compare
>>> scores = compare(model_rdms, brain_rdms, method="spearman")  # doctest: +SKIP

Every comparator returns an ``(n_a, n_b)`` matrix and ranks, sorts or decomposes each RDM once, never per pair.
The pure functions (:func:`pearson`, :func:`spearman`, ...) take arrays as well as :class:`~neuroalign.RDMs`.
Definitions, ranges and the mapping to rsatoolbox and mne-rsa names are in ``docs/comparators.md``.
"""

from neuroalign.compare.api import compare
from neuroalign.compare.bures import bures_similarity, sqbures
from neuroalign.compare.comparators import COMPARATORS, NOT_ALIASED, Comparator, get_comparator
from neuroalign.compare.correlation import cosine, pearson, rho_a, spearman
from neuroalign.compare.errors import DegenerateRDMError, InvalidSigmaError, MissingPairsError
from neuroalign.compare.kendall import kendall_tau_a
from neuroalign.compare.nan import NAN_POLICIES
from neuroalign.compare.ranks import average_ranks, tie_structure
from neuroalign.compare.whitened import whitened_cosine, whitened_pearson

__all__ = [
    "COMPARATORS",
    "NAN_POLICIES",
    "NOT_ALIASED",
    "Comparator",
    "DegenerateRDMError",
    "InvalidSigmaError",
    "MissingPairsError",
    "average_ranks",
    "bures_similarity",
    "compare",
    "cosine",
    "get_comparator",
    "kendall_tau_a",
    "pearson",
    "rho_a",
    "sqbures",
    "spearman",
    "tie_structure",
    "whitened_cosine",
    "whitened_pearson",
]
