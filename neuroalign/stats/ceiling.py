"""Noise ceilings for RDM comparisons across subjects (Nili et al. 2014)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.stats

from neuroalign.compare import COMPARATORS, compare
from neuroalign.core.rdms import RDMs
from neuroalign.errors import NeuroAlignError


def _ranks(v: np.ndarray) -> np.ndarray:
    return scipy.stats.rankdata(v, axis=1, method="average", nan_policy="omit")


def _zscores(v: np.ndarray) -> np.ndarray:
    centred = v - np.nanmean(v, axis=1, keepdims=True)
    return centred / np.nanstd(centred, axis=1, keepdims=True)


def _unit_rms(v: np.ndarray) -> np.ndarray:
    return v / np.sqrt(np.nanmean(v**2, axis=1, keepdims=True))


#: How RDMs are put on a common scale before averaging into the best possible model RDM for a comparator: the
#: mean that maximises a correlation is the mean of z-scores, for rank correlations the mean of ranks, for the
#: cosine the mean of RDMs scaled to unit norm. Comparators not listed use the plain mean.
_POOLING = {
    "pearson": _zscores,
    "spearman": _ranks,
    "rho_a": _ranks,
    "kendall_tau_a": _ranks,
    "cosine": _unit_rms,
}


class NotEnoughSubjectsError(NeuroAlignError, ValueError):
    """A leave-one-subject-out computation got fewer subjects than it needs."""


@dataclass(frozen=True)
class NoiseCeiling:
    """Lower and upper bound of the best score any model can reach, with the per-subject values behind them."""

    lower: float
    upper: float
    lower_per_subject: np.ndarray
    upper_per_subject: np.ndarray
    method: str


def leave_one_out_bounds(values: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-subject lower and upper bounds (as :func:`rdm_noise_ceiling`) of condensed RDMs ``(n_subjects, n_pairs)``.

    Works on any vector of pairs, including the expanded pairs of a stimulus resample (which is no RDM over
    distinct stimuli), so that a bootstrap can use it for the comparators without a weighted form.
    """
    transform = _POOLING.get(COMPARATORS.canonical(method))
    scaled = values if transform is None else transform(values)
    n = values.shape[0]
    upper = compare(values, np.nanmean(scaled, axis=0)[None], method=method)[:, 0]
    lower = np.array([compare(values[k:k + 1], np.nanmean(np.delete(scaled, k, axis=0), axis=0)[None],
                              method=method)[0, 0] for k in range(n)])
    return lower, upper


def rdm_noise_ceiling(rdms: RDMs, method: str = "spearman") -> NoiseCeiling:
    """Leave-one-subject-out noise ceiling of an RDM comparison (one RDM per subject).

    The upper bound compares each subject's RDM with the mean of all subjects (itself included), which no model
    can beat on average; the lower bound compares it with the mean of the other subjects, which a perfect model
    would reach. Before averaging, the RDMs are put on the scale the comparator is blind to (z-scores for Pearson,
    ranks for rank correlations, unit norm for the cosine), so that the mean is the best-scoring pooled RDM.

    Parameters
    ----------
    rdms : RDMs
        One RDM per subject (average sessions first).
    method : str
        Comparator name (see :mod:`neuroalign.compare`).

    Raises
    ------
    NotEnoughSubjectsError
        With fewer than 3 subjects (the leave-one-out mean of the others would be a single subject).
    """

    if rdms.n_rdms < 3:
        raise NotEnoughSubjectsError(f"a leave-one-subject-out noise ceiling needs >= 3 subjects; got {rdms.n_rdms}")
    lower, upper = leave_one_out_bounds(rdms.dissimilarities, method)
    return NoiseCeiling(lower=float(lower.mean()), upper=float(upper.mean()), lower_per_subject=lower,
                        upper_per_subject=upper, method=method)
