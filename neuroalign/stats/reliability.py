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

from neuroalign.utils.renamed import moved_attribute

__all__ = ["Reliability", "UndefinedReliabilityWarning", "pearson_columns", "spearman_brown", "warn_undefined"]


def __getattr__(name: str):
    """``split_half_reliability``, which moved to :mod:`neuroalign.metrics` (it resolves a metric id)."""
    if name == "split_half_reliability":
        return moved_attribute(__name__, name, "neuroalign.metrics")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def pearson_columns(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each column's Pearson correlation between ``x`` and ``y`` (NaN for a constant column)."""
    xc, yc = x - x.mean(axis=0), y - y.mean(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (xc * yc).sum(axis=0) / np.sqrt((xc**2).sum(axis=0) * (yc**2).sum(axis=0))


def warn_undefined(half: np.ndarray) -> None:
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
