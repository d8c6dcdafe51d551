"""The built-in comparators, registered the way any other comparator is: one :func:`register_comparator` each.

Definitions, ranges and the reasons behind each capability are in ``docs/comparators.md``.
"""

from __future__ import annotations

from neuroalign.compare import pooling
from neuroalign.compare.bures import bures_similarity, sqbures
from neuroalign.compare.comparators import Comparator, WeightedForm, register_comparator
from neuroalign.compare.correlation import cosine, pearson, rho_a, spearman
from neuroalign.compare.kendall import kendall_tau_a
from neuroalign.compare.whitened import whitened_cosine, whitened_pearson

_SIMILARITY = {"kind": "similarity", "bounds": (-1.0, 1.0)}
_RANKS = {"rank_based": True, "invariances": frozenset({"scale", "offset", "monotonic"}), "pooling": pooling.ranks}

register_comparator(Comparator(
    "pearson", pearson, **_SIMILARITY, aliases=("corr",), invariances=frozenset({"scale", "offset"}),
    undefined_for="constant", pooling=pooling.zscores, weighted=WeightedForm(centre=True),
    description="Pearson correlation of the dissimilarities"))
register_comparator(Comparator(
    "cosine", cosine, **_SIMILARITY, invariances=frozenset({"scale"}), undefined_for="zero",
    pooling=pooling.unit_rms, weighted=WeightedForm(centre=False), description="cosine of the dissimilarity vectors"))
register_comparator(Comparator(
    "spearman", spearman, **_SIMILARITY, **_RANKS, undefined_for="constant", weighted=WeightedForm(centre=True),
    description="Spearman correlation (Pearson of average ranks)"))
register_comparator(Comparator(
    "rho_a", rho_a, **_SIMILARITY, **_RANKS, aliases=("rho-a",), weighted=WeightedForm(norm="untied"),
    description="Spearman's rho-a (ties shrink it towards 0; a constant RDM scores 0)"))
register_comparator(Comparator(
    "kendall_tau_a", kendall_tau_a, **_SIMILARITY, **_RANKS, aliases=("tau-a", "kendall-tau-a"),
    ceiling_caveat="Kendall's tau-a counts the pairs of pairs ordered alike; the best-scoring RDM orders each pair "
                   "of pairs as most subjects do (a weighted feedback arc set, NP-hard), and the mean of ranks "
                   "(pooled here, as rsatoolbox does) can be beaten, e.g. by breaking its ties",
    description="Kendall's tau-a (pairs tied in either RDM count neither way; a constant RDM scores 0)"))
register_comparator(Comparator(
    "whitened_cosine", whitened_cosine, **_SIMILARITY, options=("sigma_k",), aliases=("cosine_cov",),
    invariances=frozenset({"scale"}), undefined_for="zero", pooling=pooling.whitened_unit, needs_matrix=True,
    description="cosine after whitening by the covariance of the dissimilarity estimates"))
register_comparator(Comparator(
    "whitened_pearson", whitened_pearson, **_SIMILARITY, options=("sigma_k",), aliases=("corr_cov",),
    invariances=frozenset({"scale", "offset"}), undefined_for="constant", pooling=pooling.whitened_centred_unit,
    needs_matrix=True, description="Pearson correlation after whitening"))
register_comparator(Comparator(
    "bures_similarity", bures_similarity, "similarity", (0.0, 1.0), pairwise_missing=False,
    invariances=frozenset({"scale"}), undefined_for="zero", needs_matrix=True,
    description="normalised Bures similarity of the double-centred RDMs"))
register_comparator(Comparator(
    "sqbures", sqbures, "dissimilarity", (0.0, float("inf")), pairwise_missing=False, undefined_for="zero",
    needs_matrix=True, description="squared Bures distance of the double-centred RDMs (a dissimilarity)"))
