"""Split-half reliability of repeated measurements, corrected to the full number of repetitions (Spearman-Brown).

The ceiling of a feature-based metric is how well the data agree with themselves: split the repetitions in two
random halves, average each half, score one half against the other, and correct the half-length agreement to the
full length with the Spearman-Brown prophecy ``2 r / (1 + r)``. Averaging over many random splits reduces the
dependence on one arbitrary split.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.errors import InvalidOptionError, ShapeMismatchError
from neuroalign.stats._resample import as_generator, draw_permutations

__all__ = ["Reliability", "UndefinedReliabilityWarning", "spearman_brown", "split_half_reliability"]


class UndefinedReliabilityWarning(UserWarning):
    """Some features have no split-half reliability (constant), or one the correction cannot make a correlation."""


def spearman_brown(r: Any, factor: float = 2.0) -> Any:
    """Spearman-Brown prophecy: the reliability of a measurement ``factor`` times as long, ``f r / (1 + (f-1) r)``.

    Parameters
    ----------
    r : float or ndarray
        Reliability (correlation) of the shorter measurement.
    factor : float
        Length ratio; 2 corrects a split-half correlation to the full data.

    Examples
    --------
    >>> spearman_brown(0.5)
    0.6666666666666666
    """
    r = np.asarray(r, dtype=np.float64)
    out = factor * r / (1.0 + (factor - 1.0) * r)
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True)
class Reliability:
    """Split-half reliability.

    Attributes
    ----------
    half : float or ndarray
        Mean over splits of the half-against-half agreement (per feature for ``metric=None``).
    corrected : float or ndarray
        ``spearman_brown(half)``: the reliability of the average of all repetitions.
    per_split : ndarray, shape (n_splits,) or (n_splits, n_features)
    metric : str
    """

    half: Any
    corrected: Any
    per_split: np.ndarray
    metric: str


def _pearson_columns(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    xc, yc = x - x.mean(axis=0), y - y.mean(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (xc * yc).sum(axis=0) / np.sqrt((xc**2).sum(axis=0) * (yc**2).sum(axis=0))


def _warn_undefined(half: np.ndarray) -> None:
    """Say which features have no reliability (NaN) or one the Spearman-Brown correction turns into no correlation."""
    undefined = np.flatnonzero(np.isnan(half))
    if undefined.size:
        warnings.warn(f"{undefined.size} of {half.size} features are constant across stimuli in a half of some split "
                      f"(features {undefined[:10].tolist()}): their reliability is undefined (NaN). Drop them, or "
                      "give more repetitions.", UndefinedReliabilityWarning, stacklevel=3)
    below = np.flatnonzero(half < -1.0 / 3.0)
    if below.size:
        warnings.warn(f"{below.size} of {half.size} features have a split-half correlation below -1/3 (features "
                      f"{below[:10].tolist()}); the Spearman-Brown correction maps it below -1, which no correlation "
                      "is. Their 'corrected' value is not a reliability (and not a ceiling).",
                      UndefinedReliabilityWarning, stacklevel=3)


def split_half_reliability(responses: Any, metric: str | None = None, *, n_splits: int = 100,
                           seed: int | np.random.Generator | None = None) -> Reliability:
    """Split-half reliability of repeated responses, Spearman-Brown corrected.

    Parameters
    ----------
    responses : array_like, shape (n_repetitions, n_stimuli, n_features)
        Repeated measurements (trials, sessions) of the same stimuli.
    metric : str, optional
        A similarity metric id (see :func:`neuroalign.metrics.get_metric`) scoring one half's ``(n_stimuli,
        n_features)`` mean against the other's. ``None`` gives each feature's Pearson correlation across stimuli
        (the per-neuroid reliability Brain-Score uses). The Spearman-Brown correction assumes a correlation-like
        agreement; a distance metric is rejected.
    n_splits : int
        Random splits of the repetitions into two halves (an odd repetition is left out of each split in turn).
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    Reliability
        A feature constant across stimuli in a half of some split has NaN reliability; an
        :class:`UndefinedReliabilityWarning` names such features (and those whose half reliability is below -1/3,
        which the correction maps below -1).

    Raises
    ------
    NotEnoughRunsError
        With fewer than 2 repetitions.
    """
    from neuroalign.errors import NotEnoughRunsError

    data = np.asarray(responses, dtype=np.float64)
    if data.ndim != 3:
        raise ShapeMismatchError(f"responses must be (n_repetitions, n_stimuli, n_features); got {data.shape}")
    if data.shape[0] < 2:
        raise NotEnoughRunsError(f"split-half reliability needs >= 2 repetitions; got {data.shape[0]}")
    if n_splits < 1:
        raise InvalidOptionError(f"n_splits must be positive; got {n_splits}")
    measure = None
    if metric is not None:
        from neuroalign.metrics import get_metric

        measure = get_metric(metric)
        if measure.info.kind != "similarity":
            raise InvalidOptionError(f"{metric} is a distance; the Spearman-Brown correction needs a similarity")
    half_size = data.shape[0] // 2
    splits = draw_permutations(as_generator(seed), n_splits, data.shape[0])
    values = []
    for order in splits:
        first = data[order[:half_size]].mean(axis=0)
        second = data[order[half_size:2 * half_size]].mean(axis=0)
        values.append(_pearson_columns(first, second) if measure is None else measure(first, second))
    per_split = np.array(values)
    half = per_split.mean(axis=0)
    _warn_undefined(np.atleast_1d(half))
    half = float(half) if np.ndim(half) == 0 else half
    return Reliability(half=half, corrected=spearman_brown(half), per_split=per_split,
                       metric="pearson_per_feature" if metric is None else measure.info.id)
