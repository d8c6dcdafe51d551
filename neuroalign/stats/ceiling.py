"""Noise ceilings for RDM comparisons across subjects (Nili et al. 2014)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.stats

from neuroalign.compare import COMPARATORS, compare
from neuroalign.core.rdms import RDMs
from neuroalign.errors import NeuroAlignError

#: Comparators whose ceiling averages rank-transformed RDMs: for them the best possible model RDM is the mean of
#: the subjects' ranks, not of their raw dissimilarities.
_RANK_BASED = {"spearman", "rho_a", "kendall_tau_a"}


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


def _rank_transform(rdms: RDMs) -> RDMs:
    ranks = scipy.stats.rankdata(rdms.dissimilarities, axis=1, method="average")
    return RDMs(ranks, rdms.stimulus_ids, descriptors=rdms.descriptors, measure=rdms.measure)


def rdm_noise_ceiling(rdms: RDMs, method: str = "spearman") -> NoiseCeiling:
    """Leave-one-subject-out noise ceiling of an RDM comparison (one RDM per subject).

    The upper bound compares each subject's RDM with the mean of all subjects (itself included), which no model
    can beat on average; the lower bound compares it with the mean of the other subjects, which a perfect model
    would reach. For rank-based comparators the RDMs are rank-transformed before averaging.

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
    averaged = _rank_transform(rdms) if COMPARATORS.canonical(method) in _RANK_BASED else rdms
    everyone = averaged.mean()
    n = rdms.n_rdms
    upper = compare(rdms, everyone, method=method)[:, 0]
    lower = np.array([compare(rdms[k], averaged[[j for j in range(n) if j != k]].mean(), method=method)[0, 0]
                      for k in range(n)])
    return NoiseCeiling(lower=float(lower.mean()), upper=float(upper.mean()), lower_per_subject=lower,
                        upper_per_subject=upper, method=method)
