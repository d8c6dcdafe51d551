"""RDM comparators: many-vs-many comparisons of condensed RDMs in one batched call.

>>> from neuroalign.compare import compare
>>> scores = compare(model_rdms, brain_rdms, comparator="spearman")  # doctest: +SKIP

Every comparator returns an ``(n_a, n_b)`` matrix and ranks, sorts or decomposes each RDM once, never per pair.
The pure functions (:func:`pearson`, :func:`spearman`, ...) take arrays as well as :class:`~neuroalign.RDMs`.
Every comparator is a registry entry (:class:`Comparator`) that owns its capabilities; internal code with stacks of
condensed rows calls :func:`compare_condensed`. Definitions, ranges and the mapping to rsatoolbox and mne-rsa names
are in ``docs/comparators.md``.
"""

from neuroalign.compare import builtin  # noqa: F401  (registers the built-in comparators)
from neuroalign.compare.api import compare, compare_condensed
from neuroalign.compare.bures import bures_similarity, sqbures
from neuroalign.compare.comparators import (COMPARATORS, DEFAULT_COMPARATOR, NOT_ALIASED, RDM_INVARIANCES, Comparator,
                                            WeightedForm, comparators_defined_for_constant, get_comparator,
                                            register_comparator)
from neuroalign.compare.correlation import cosine, pearson, rho_a, spearman
from neuroalign.errors import DegenerateRDMError, InvalidSigmaError, MissingPairsError
from neuroalign.compare.kendall import kendall_tau_a
from neuroalign.compare.nan import NAN_POLICIES
from neuroalign.compare.ranks import average_ranks, tie_structure
from neuroalign.compare.whitened import whitened_cosine, whitened_pearson

__all__ = [
    "COMPARATORS",
    "DEFAULT_COMPARATOR",
    "NAN_POLICIES",
    "NOT_ALIASED",
    "RDM_INVARIANCES",
    "Comparator",
    "DegenerateRDMError",
    "InvalidSigmaError",
    "MissingPairsError",
    "WeightedForm",
    "average_ranks",
    "bures_similarity",
    "compare",
    "compare_condensed",
    "comparators_defined_for_constant",
    "cosine",
    "get_comparator",
    "kendall_tau_a",
    "pearson",
    "register_comparator",
    "rho_a",
    "sqbures",
    "spearman",
    "tie_structure",
    "whitened_cosine",
    "whitened_pearson",
]
