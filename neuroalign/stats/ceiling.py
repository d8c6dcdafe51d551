"""Noise ceilings for RDM comparisons across subjects (Nili et al. 2014)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable

import numpy as np
import scipy.stats

from neuroalign.compare import COMPARATORS, compare
from neuroalign.compare.whitened import whitened_norms
from neuroalign.core.rdms import RDMs
from neuroalign.errors import NeuroAlignError


def _ranks(v: np.ndarray, **options: Any) -> np.ndarray:
    return scipy.stats.rankdata(v, axis=1, method="average", nan_policy="omit")


def _zscores(v: np.ndarray, **options: Any) -> np.ndarray:
    centred = v - np.nanmean(v, axis=1, keepdims=True)
    return centred / np.nanstd(centred, axis=1, keepdims=True)


def _unit_rms(v: np.ndarray, **options: Any) -> np.ndarray:
    return v / np.sqrt(np.nanmean(v**2, axis=1, keepdims=True))


def _whitened_unit(v: np.ndarray, *, centre: bool, sigma_k: Any = None, **options: Any) -> np.ndarray:
    # The whitening is linear, so the mean of whitened unit vectors is the whitening of this mean.
    centred = v - np.nanmean(v, axis=1, keepdims=True) if centre else v
    return centred / whitened_norms(v, sigma_k=sigma_k, centre=centre)[:, None]


#: How RDMs are put on a common scale before averaging into the best possible model RDM for a comparator. A
#: correlation-type comparator is a cosine in some space (z-scores for Pearson, ranks for rank correlations, the
#: raw vector for the cosine, the whitened vector for the whitened comparators); the RDM whose vector in that space
#: is the mean of the subjects' unit vectors has the highest mean score against them. Comparators not listed use
#: the plain mean.
_POOLING: dict[str, Callable[..., np.ndarray]] = {
    "pearson": _zscores,
    "spearman": _ranks,
    "rho_a": _ranks,
    "kendall_tau_a": _ranks,
    "cosine": _unit_rms,
    "whitened_cosine": partial(_whitened_unit, centre=False),
    "whitened_pearson": partial(_whitened_unit, centre=True),
}

#: Comparators whose pooled RDM is not the best-scoring RDM, so that a model can exceed the "upper bound"
#: (see docs/statistics.md): the comparator's value for a model depends on more than its vector's direction.
CEILING_NOT_A_BOUND = {
    "kendall_tau_a": "Kendall's tau-a counts the pairs of pairs ordered alike; the best-scoring RDM orders each pair "
                     "of pairs as most subjects do (a weighted feedback arc set, NP-hard), and the mean of ranks "
                     "(pooled here, as rsatoolbox does) can be beaten, e.g. by breaking its ties",
}


class NotEnoughSubjectsError(NeuroAlignError, ValueError):
    """A leave-one-subject-out computation got fewer subjects than it needs."""


class CeilingNotABoundWarning(UserWarning):
    """The upper noise-ceiling bound of this comparator is not an upper bound (a model can exceed it)."""


def warn_ceiling_not_a_bound(method: str) -> None:
    """Warn that ``method``'s upper noise ceiling is no bound (for comparators in :data:`CEILING_NOT_A_BOUND`)."""
    warnings.warn(f"the upper noise ceiling of {method} pools the subjects' ranks, which is not the best-scoring RDM "
                  f"for {method}: a model can score above it ({CEILING_NOT_A_BOUND[method]}). Read it as a "
                  "reference level, not a bound.", CeilingNotABoundWarning, stacklevel=3)


@dataclass(frozen=True)
class NoiseCeiling:
    """Lower and upper bound of the best score any model can reach, with the per-subject values behind them."""

    lower: float
    upper: float
    lower_per_subject: np.ndarray
    upper_per_subject: np.ndarray
    method: str


def leave_one_out_bounds(values: np.ndarray, method: str, **options: Any) -> tuple[np.ndarray, np.ndarray]:
    """Per-subject lower and upper bounds (as :func:`rdm_noise_ceiling`) of condensed RDMs ``(n_subjects, n_pairs)``.

    Works on any vector of pairs, including the expanded pairs of a stimulus resample (which is no RDM over
    distinct stimuli), so that a bootstrap can use it for the comparators without a weighted form. ``options``
    (``sigma_k`` for the whitened comparators) go to the comparator and to its pooling.
    """
    transform = _POOLING.get(COMPARATORS.canonical(method))
    scaled = values if transform is None else transform(values, **options)
    n = values.shape[0]
    upper = compare(values, np.nanmean(scaled, axis=0)[None], method=method, **options)[:, 0]
    lower = np.array([compare(values[k:k + 1], np.nanmean(np.delete(scaled, k, axis=0), axis=0)[None],
                              method=method, **options)[0, 0] for k in range(n)])
    return lower, upper


def rdm_noise_ceiling(rdms: RDMs, method: str = "spearman", **options: Any) -> NoiseCeiling:
    """Leave-one-subject-out noise ceiling of an RDM comparison (one RDM per subject).

    The upper bound compares each subject's RDM with the mean of all subjects (itself included), which no model
    can beat on average; the lower bound compares it with the mean of the other subjects, which a perfect model
    would reach. Before averaging, the RDMs are put on the scale the comparator is blind to (z-scores for Pearson,
    ranks for rank correlations, unit norm for the cosine, unit whitened norm for the whitened comparators), so
    that the mean is the best-scoring pooled RDM. For Kendall's tau-a the mean of ranks is not the best-scoring
    RDM and the upper bound can be exceeded: a :class:`CeilingNotABoundWarning` says so.

    Parameters
    ----------
    rdms : RDMs
        One RDM per subject (average sessions first).
    method : str
        Comparator name (see :mod:`neuroalign.compare`).
    **options
        Comparator options (``sigma_k`` for the whitened comparators), used for the comparisons and the pooling.

    Raises
    ------
    NotEnoughSubjectsError
        With fewer than 3 subjects (the leave-one-out mean of the others would be a single subject).
    """

    if rdms.n_rdms < 3:
        raise NotEnoughSubjectsError(f"a leave-one-subject-out noise ceiling needs >= 3 subjects; got {rdms.n_rdms}")
    name = COMPARATORS.canonical(method)
    if name in CEILING_NOT_A_BOUND:
        warn_ceiling_not_a_bound(name)
    lower, upper = leave_one_out_bounds(rdms.dissimilarities, method, **options)
    return NoiseCeiling(lower=float(lower.mean()), upper=float(upper.mean()), lower_per_subject=lower,
                        upper_per_subject=upper, method=method)
