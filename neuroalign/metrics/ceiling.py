"""Between-subject noise ceilings for feature-space similarity measures (CKA, CCA, kNN alignment).

The RSA ceiling (Nili et al. 2014) scores each subject against the others pooled. Subjects' feature spaces have no
common units, so here the pool is their concatenation: each subject's features are centred and scaled to unit
Frobenius norm (so that every subject weighs the same; for linear CKA the pool's Gram is then the mean of the
subjects' normalised centred Grams, the exact analogue of averaging RDMs), and side by side they form one
representation of the stimuli. For subject ``s``:

- lower bound: ``metric(pool of the other subjects, subject s)``, what a model equal to the others could reach;
- upper bound: ``metric(pool of all subjects, subject s)``, which includes ``s`` itself (an overestimate).

Each bound is the mean over subjects; a model scored as ``metric(model, subject)`` and averaged over subjects is
normalised by the upper bound as an RSA score is.

Measures without a ceiling here, and why (:class:`NoCeilingError` says so):

- distances (shape metrics, ``cka.angular``): a ceiling normalises a similarity whose perfect value is a bound
  reached by the noise-free response; a distance has no such scale (compare the model's distance with the
  between-subject distances instead);
- measures invariant to every invertible linear map (``cca.mean``, ``cca.mean_sq``) when the pool has at least
  ``n - 1`` features: the pooled space then spans every centred direction and the measure is 1 for any subject;
- ``predictivity.ridge``: its ceiling is per target, from repeated presentations
  (:mod:`neuroalign.encoding.ceiling`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from neuroalign.errors import NeuroAlignError
from neuroalign.metrics.base import Metric, MetricInputError
from neuroalign.metrics.registry import get_metric

__all__ = ["FeatureCeiling", "NoCeilingError", "feature_noise_ceiling"]


class NoCeilingError(NeuroAlignError, ValueError):
    """The measure has no between-subject noise ceiling (the message says why)."""


@dataclass(frozen=True)
class FeatureCeiling:
    """Lower and upper between-subject ceiling of a feature-space measure, with the per-subject values."""

    lower: float
    upper: float
    lower_per_subject: np.ndarray
    upper_per_subject: np.ndarray
    metric: str


def _normalised(x: np.ndarray, index: int) -> np.ndarray:
    centred = x - x.mean(axis=0)
    norm = np.linalg.norm(centred)
    if norm == 0:
        raise MetricInputError(f"feature_noise_ceiling: subject {index} has no variance across stimuli")
    return centred / norm


def _refuse(metric: Metric, n: int, pooled_width: int) -> None:
    info = metric.info
    if info.kind == "distance":
        raise NoCeilingError(f"{info.id} is a distance: a noise ceiling normalises a similarity whose perfect value "
                             "is reached by the noise-free response; compare with the between-subject distances")
    if info.id.startswith("predictivity."):
        raise NoCeilingError(f"{info.id} has per-target ceilings from repeated presentations "
                             "(neuroalign.encoding.split_half_ceiling / ncsnr_ceiling), not a between-subject one")
    if "invertible_linear" in info.invariances and pooled_width >= n - 1:
        raise NoCeilingError(f"{info.id} is invariant to invertible linear maps and the pooled subjects have "
                             f"{pooled_width} features for {n} stimuli: the pool spans every centred direction, so "
                             "every subject would score 1; reduce each subject (e.g. by PCA) first")


def feature_noise_ceiling(subjects: Sequence[Any], metric: str | Metric, *, device: Any = None) -> FeatureCeiling:
    """Between-subject ceiling of a feature-space similarity (see the module).

    Parameters
    ----------
    subjects : sequence of array_like, each (n_stimuli, n_features_s)
        One representation per subject, rows matched (the same stimuli in the same order); widths may differ.
    metric : str or Metric
        A registered similarity (``"cka.linear"``, ``"cca.svcca.0.99"``, ``"knn.mutual.10"``...), called as
        ``metric(pool, subject)``.
    device : optional
        Passed to the metric.

    Returns
    -------
    FeatureCeiling

    Raises
    ------
    NoCeilingError
        For a measure without a ceiling (see the module).
    MetricInputError
        Fewer than 3 subjects, mismatched stimuli, a subject without variance.
    """
    measure = get_metric(metric) if isinstance(metric, str) else metric
    data = [np.asarray(s, dtype=np.float64) for s in subjects]
    if len(data) < 3:
        raise MetricInputError(f"feature_noise_ceiling needs >= 3 subjects (a leave-one-out pool of >= 2); got "
                               f"{len(data)}")
    if any(d.ndim != 2 or d.shape[0] != data[0].shape[0] for d in data):
        raise MetricInputError("feature_noise_ceiling: every subject must be (n_stimuli, n_features) with the same "
                               f"stimuli; got shapes {[d.shape for d in data]}")
    parts = [_normalised(d, i) for i, d in enumerate(data)]
    everyone = np.hstack(parts)
    _refuse(measure, everyone.shape[0], everyone.shape[1])
    lower, upper = [], []
    for s, subject in enumerate(data):
        others = np.hstack([p for i, p in enumerate(parts) if i != s])
        lower.append(measure(others, subject, device=device))
        upper.append(measure(everyone, subject, device=device))
    lo, up = np.asarray(lower), np.asarray(upper)
    return FeatureCeiling(float(lo.mean()), float(up.mean()), lo, up, measure.info.id)
