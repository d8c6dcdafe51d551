"""Permutation nulls: stimulus-label permutations of one side, the same permutations for every model.

Relabelling the stimuli of the data side breaks any correspondence between models and data while keeping each
representation's own structure, so the null distribution reflects what a model of this width and geometry scores
by chance. Every model is compared with the same permuted data, so nulls of different models are paired. The
p-value counts the observed arrangement as one of the permutations, ``(1 + #{null >= observed}) / (1 + n_perm)``,
which is never 0 and is exact (valid) under exchangeability; the null-calibrated score ``observed - mean(null)``
removes what width or layer selection alone would give.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.compare import DEFAULT_COMPARATOR, Comparator, compare_condensed, get_comparator
from neuroalign.core.condensed import n_stimuli_from_pairs
from neuroalign.errors import InvalidOptionError
from neuroalign.stats._inputs import paired_condensed
from neuroalign.stats.resample import as_generator, draw_permutations, permuted_pair_index
from neuroalign.utils.docs import fill_doc
from neuroalign.utils.progress import track
from neuroalign.utils.renamed import moved_attribute, renamed_keywords

__all__ = ["PermutationResult", "check_n_perm", "permutation_p_value", "permutation_test_rdm"]


def __getattr__(name: str):
    """``permutation_test_metric``, which moved to :mod:`neuroalign.metrics` (it resolves a metric id)."""
    if name == "permutation_test_metric":
        return moved_attribute(__name__, name, "neuroalign.metrics")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def permutation_p_value(observed: np.ndarray, null: np.ndarray, *, larger_is_better: bool = True) -> np.ndarray:
    """``(1 + #{null >= observed}) / (1 + n_perm)`` per statistic (``<=`` when smaller means more alike).

    Parameters
    ----------
    observed : ndarray, shape (...)
    null : ndarray, shape (n_perm, ...)
    larger_is_better : bool
        False for distances, so that the test is always for more alignment than chance.
    """
    extreme = null >= observed if larger_is_better else null <= observed
    return (1.0 + extreme.sum(axis=0)) / (1.0 + null.shape[0])


@dataclass(frozen=True)
class PermutationResult:
    """Observed statistics of several models with their (paired) permutation nulls.

    Attributes
    ----------
    observed : ndarray, shape (n_models,)
    null : ndarray, shape (n_perm, n_models)
        The same permutations for every model.
    p_values : ndarray, shape (n_models,)
    metric : str
    larger_is_better : bool
    seed : int or None
    """

    observed: np.ndarray
    null: np.ndarray
    p_values: np.ndarray
    metric: str
    larger_is_better: bool
    seed: Any = None

    @property
    def calibrated(self) -> np.ndarray:
        """Null-calibrated scores ``observed - mean(null)``: what exceeds the chance level of each model."""
        return self.observed - self.null.mean(axis=0)

    def null_summary(self, model: int) -> dict[str, float]:
        """The ``null`` mapping of a :class:`~neuroalign.core.score.Score` for one model."""
        return {"mean": float(self.null[:, model].mean()), "std": float(self.null[:, model].std(ddof=1)),
                "p_value": float(self.p_values[model]), "n_permutations": int(self.null.shape[0])}


def check_n_perm(n_perm: int) -> None:
    """Raise :class:`InvalidOptionError` unless ``n_perm`` is positive."""
    if n_perm < 1:
        raise InvalidOptionError(f"n_perm must be positive; got {n_perm}")


@fill_doc
@renamed_keywords(method="comparator")
def permutation_test_rdm(models: Any, data: Any, comparator: str | Comparator = DEFAULT_COMPARATOR, *,
                         n_perm: int = 1000,
                         seed: int | np.random.Generator | None = None, batch_size: int = 100,
                         progress: bool | None = None, **options: Any) -> PermutationResult:
    """Permutation test of the mean comparison of each model RDM with the subjects' RDMs.

    Each permutation relabels the rows and columns of every subject's RDM alike (one permutation of the stimuli
    per null sample, shared by subjects and models); the statistic is the mean over subjects.

    Parameters
    ----------
    models : RDMs or array_like, shape (n_models, n_pairs)
    data : RDMs or array_like, shape (n_subjects, n_pairs)
        ``RDMs`` are aligned to the models' stimulus ids.
    %(comparator)s
        For a dissimilarity (``sqbures``) small values count as extreme.
    n_perm : int
    %(seed)s
    batch_size : int
        Permutations per batched ``compare`` call.
    %(progress)s
    **options
        Passed to the comparator (for example ``nan_policy``, ``sigma_k``).

    Returns
    -------
    PermutationResult
    """
    check_n_perm(n_perm)
    a, b = paired_condensed(models, data)
    entry = get_comparator(comparator)
    rng = as_generator(seed)
    index = permuted_pair_index(draw_permutations(rng, n_perm, n_stimuli_from_pairs(a.shape[1])))
    observed = compare_condensed(a, b, entry, **options).mean(axis=1)
    null = np.empty((n_perm, a.shape[0]))
    starts = range(0, n_perm, batch_size)
    for start in track(starts, len(starts), "permutations", enabled=progress):
        block = index[start:start + batch_size]
        permuted = b[:, block].transpose(1, 0, 2).reshape(-1, b.shape[1])  # (perm * subject, n_pairs)
        scores = compare_condensed(a, permuted, entry, **options).reshape(a.shape[0], len(block), b.shape[0])
        null[start:start + len(block)] = scores.mean(axis=2).T
    larger = entry.kind == "similarity"
    return PermutationResult(observed=observed, null=null, p_values=permutation_p_value(observed, null,
                             larger_is_better=larger), metric=entry.name, larger_is_better=larger,
                             seed=seed if not isinstance(seed, np.random.Generator) else None)
