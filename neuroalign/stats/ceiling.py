"""Noise ceilings for RDM comparisons across subjects (Nili et al. 2014)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.compare import DEFAULT_COMPARATOR, Comparator, compare_condensed, get_comparator
from neuroalign.core.rdms import RDMs
from neuroalign.errors import NeuroAlignError
from neuroalign.utils.docs import fill_doc
from neuroalign.utils.renamed import renamed_attribute, renamed_keywords


class NotEnoughSubjectsError(NeuroAlignError, ValueError):
    """A leave-one-subject-out computation got fewer subjects than it needs."""


class CeilingNotABoundWarning(UserWarning):
    """The upper noise-ceiling bound of this comparator is not an upper bound (a model can exceed it)."""


def warn_ceiling_not_a_bound(comparator: Comparator) -> None:
    """Warn that the upper noise ceiling of ``comparator`` is no bound (its entry has a ``ceiling_caveat``)."""
    if comparator.ceiling_is_bound:
        return
    name = comparator.name
    warnings.warn(f"the upper noise ceiling of {name} pools the subjects' RDMs, which is not the best-scoring RDM "
                  f"for {name}: a model can score above it ({comparator.ceiling_caveat}). Read it as a "
                  "reference level, not a bound.", CeilingNotABoundWarning, stacklevel=4)  # past the keyword wrapper


@dataclass(frozen=True)
class NoiseCeiling:
    """Lower and upper bound of the best score any model can reach, with the per-subject values behind them."""

    lower: float
    upper: float
    lower_per_subject: np.ndarray
    upper_per_subject: np.ndarray
    comparator: str

    method = renamed_attribute("method", "comparator")


def leave_one_out_bounds(values: np.ndarray, comparator: str | Comparator,
                         **options: Any) -> tuple[np.ndarray, np.ndarray]:
    """Per-subject lower and upper bounds (as :func:`rdm_noise_ceiling`) of condensed RDMs ``(n_subjects, n_pairs)``.

    Works on any vector of pairs, including the expanded pairs of a stimulus resample (which is no RDM over
    distinct stimuli), so that a bootstrap can use it for the comparators without a weighted form. ``options``
    (``sigma_k`` for the whitened comparators) go to the comparator and to its pooling.
    The subjects are put on the comparator's pooling scale first (:attr:`~neuroalign.compare.Comparator.pooling`).
    """
    entry = get_comparator(comparator)
    scaled = values if entry.pooling is None else entry.pooling(values, **options)
    n = values.shape[0]
    upper = compare_condensed(values, np.nanmean(scaled, axis=0), entry, **options)[:, 0]
    lower = np.array([compare_condensed(values[k], np.nanmean(np.delete(scaled, k, axis=0), axis=0), entry,
                                        **options)[0, 0] for k in range(n)])
    return lower, upper


@fill_doc
@renamed_keywords(method="comparator")
def rdm_noise_ceiling(rdms: RDMs, comparator: str | Comparator = DEFAULT_COMPARATOR, **options: Any) -> NoiseCeiling:
    """Leave-one-subject-out noise ceiling of an RDM comparison (one RDM per subject).

    The upper bound compares each subject's RDM with the mean of all subjects (itself included), which no model
    can beat on average; the lower bound compares it with the mean of the other subjects, which a perfect model
    would reach. Before averaging, the RDMs are put on the scale the comparator is blind to (its entry's
    :attr:`~neuroalign.compare.Comparator.pooling`: z-scores for Pearson, ranks for rank correlations, unit norm for
    the cosine, unit whitened norm for the whitened comparators), so that the mean is the best-scoring pooled RDM.
    Where the entry says it is not (its ``ceiling_caveat``; Kendall's tau-a), the upper bound can be exceeded and a
    :class:`CeilingNotABoundWarning` says so.

    Parameters
    ----------
    rdms : RDMs
        One RDM per subject (average sessions first).
    %(comparator)s
    **options
        Comparator options (``sigma_k`` for the whitened comparators), used for the comparisons and the pooling.

    Raises
    ------
    NotEnoughSubjectsError
        With fewer than 3 subjects (the leave-one-out mean of the others would be a single subject).
    """

    if rdms.n_rdms < 3:
        raise NotEnoughSubjectsError(f"a leave-one-subject-out noise ceiling needs >= 3 subjects; got {rdms.n_rdms}")
    entry = get_comparator(comparator)
    warn_ceiling_not_a_bound(entry)
    lower, upper = leave_one_out_bounds(rdms.dissimilarities, entry, **options)
    return NoiseCeiling(lower=float(lower.mean()), upper=float(upper.mean()), lower_per_subject=lower,
                        upper_per_subject=upper, comparator=comparator if isinstance(comparator, str) else entry.name)
