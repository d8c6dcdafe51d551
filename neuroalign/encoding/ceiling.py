"""Per-target noise ceilings of encoding models from repeated presentations, and ceiling-normalised summaries.

Two estimates of how well any model could predict each target's response averaged over ``n`` repeats, both in
units of Pearson r (so a held-out r divides by them):

- :func:`split_half_ceiling`: the split-half correlation of the repeats across stimuli, Spearman-Brown corrected to
  all repeats (:func:`neuroalign.stats.split_half_reliability`), gives the reliability ``rho`` of the average; a
  model can correlate with the noisy average at most ``sqrt(rho)``.
- :func:`ncsnr_ceiling`: the noise-ceiling signal-to-noise ratio of the Natural Scenes Dataset (Allen et al. 2022).
  Each target is z-scored over all trials; the noise variance is the mean over stimuli of the variance across
  repeats (``ddof=1``), the signal variance ``max(0, 1 - noise)``, ``ncsnr = sqrt(signal / noise)``; the fraction
  of variance of an ``n``-repeat average that is signal is ``ncsnr^2 / (ncsnr^2 + 1 / n)``, and its square root is
  the ceiling on r.

A target whose ceiling is small is mostly noise: dividing by it inflates its normalised score without bound.
:func:`normalise_by_ceiling` therefore summarises only the targets whose ceiling reaches ``min_ceiling`` (default
:data:`MIN_CEILING`, r = 0.2: at least 4 % of the averaged response's variance is signal) and says how many it kept.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.errors import InvalidOptionError, ShapeMismatchError
from neuroalign.metrics.significance import split_half_reliability
from neuroalign.stats.reliability import UndefinedReliabilityWarning

__all__ = ["MIN_CEILING", "CeilingNormalised", "ncsnr_ceiling", "normalise_by_ceiling", "split_half_ceiling"]

#: Default reliability threshold of :func:`normalise_by_ceiling`, in units of r.
MIN_CEILING = 0.2


def _repeats(repeats: Any) -> np.ndarray:
    values = np.asarray(repeats, dtype=np.float64)
    if values.ndim != 3 or values.shape[0] < 2:
        raise ShapeMismatchError(f"repeats must be (n_repeats >= 2, n_stimuli, n_targets); got shape {values.shape}")
    if not np.isfinite(values).all():
        raise ShapeMismatchError("repeats must be finite (no NaN or Inf)")
    return values


def split_half_ceiling(repeats: Any, *, n_splits: int = 100, seed: Any = 0) -> np.ndarray:
    """Per-target ceiling on r: ``sqrt`` of the Spearman-Brown corrected split-half reliability (0 where negative).

    Parameters
    ----------
    repeats : array_like, shape (n_repeats, n_stimuli, n_targets)
    n_splits : int
        Random splits of the repeats into halves.
    seed : int or numpy.random.Generator

    Returns
    -------
    ndarray, shape (n_targets,)
        NaN for a target constant within a half of some split.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedReliabilityWarning)  # the NaN says it per target
        rho = np.asarray(split_half_reliability(_repeats(repeats), None, n_splits=n_splits, seed=seed).corrected)
    return np.sqrt(np.clip(rho, 0.0, None))


def ncsnr_ceiling(repeats: Any, n_average: int | None = None) -> np.ndarray:
    """Per-target ceiling on r from the NSD noise-ceiling SNR (see the module).

    Parameters
    ----------
    repeats : array_like, shape (n_repeats, n_stimuli, n_targets)
    n_average : int, optional
        Number of repeats averaged in the responses the model is scored on (default: all of them).

    Returns
    -------
    ndarray, shape (n_targets,)
    """
    values = _repeats(repeats)
    n = values.shape[0] if n_average is None else int(n_average)
    if n < 1:
        raise InvalidOptionError(f"ncsnr_ceiling: n_average must be >= 1; got {n_average}")
    flat = values.reshape(-1, values.shape[2])
    z = (values - flat.mean(0)) / flat.std(0)
    noise = z.var(axis=0, ddof=1).mean(axis=0)
    signal = np.clip(1.0 - noise, 0.0, None)
    ncsnr2 = signal / noise
    return np.sqrt(ncsnr2 / (ncsnr2 + 1.0 / n))


@dataclass(frozen=True)
class CeilingNormalised:
    """Ceiling-normalised scores of the reliable targets.

    Attributes
    ----------
    per_target : ndarray, shape (n_targets,)
        ``score / ceiling``; NaN for targets below the threshold.
    reliable : ndarray of bool, shape (n_targets,)
    mean, median : float
        Over the reliable targets.
    min_ceiling : float
        The threshold used.
    """

    per_target: np.ndarray
    reliable: np.ndarray
    mean: float
    median: float
    min_ceiling: float

    @property
    def n_reliable(self) -> int:
        """How many targets the summary kept."""
        return int(self.reliable.sum())


def normalise_by_ceiling(scores: Any, ceiling: Any, *, min_ceiling: float = MIN_CEILING) -> CeilingNormalised:
    """Divide per-target scores by their ceilings, keeping only targets whose ceiling reaches ``min_ceiling``.

    Raises
    ------
    ShapeMismatchError
        When scores and ceilings differ in length.
    InvalidOptionError
        When no target reaches the threshold (a summary of nothing would be NaN).
    """
    s, c = np.asarray(scores, dtype=np.float64), np.asarray(ceiling, dtype=np.float64)
    if s.shape != c.shape:
        raise ShapeMismatchError(f"scores {s.shape} and ceilings {c.shape} must have one value per target each")
    reliable = np.isfinite(c) & (c >= min_ceiling)
    if not reliable.any():
        raise InvalidOptionError(f"no target has a ceiling >= {min_ceiling} (largest: {np.nanmax(c):.3g}); lower "
                                 "min_ceiling or give more repeats")
    out = np.full(s.shape, np.nan)
    out[reliable] = s[reliable] / c[reliable]
    kept = out[reliable]
    return CeilingNormalised(out, reliable, float(kept.mean()), float(np.median(kept)), float(min_ceiling))
