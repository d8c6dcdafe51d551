"""Percentile and BCa bootstrap intervals from bootstrap and jackknife values (any number of statistics)."""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr, ndtri

from neuroalign.errors import InvalidOptionError


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise InvalidOptionError(f"the interval level must lie in (0, 1); got {level}")


def percentile_interval(samples: np.ndarray, level: float = 0.95) -> np.ndarray:
    """Percentile bootstrap interval.

    Parameters
    ----------
    samples : ndarray, shape (n_samples, ...)
        Bootstrap values of one or more statistics (first axis: resamples).
    level : float
        Coverage, for example 0.95.

    Returns
    -------
    ndarray, shape (..., 2)
        Lower and upper bound of each statistic.
    """
    _check_level(level)
    alpha = (1 - level) / 2
    bounds = np.percentile(samples, [100 * alpha, 100 * (1 - alpha)], axis=0)
    return np.moveaxis(bounds, 0, -1)


def bca_interval(samples: np.ndarray, observed: np.ndarray, jackknife: np.ndarray,
                 level: float = 0.95) -> np.ndarray:
    """Bias-corrected and accelerated (BCa) bootstrap interval (Efron 1987), as ``scipy.stats.bootstrap`` does.

    The bias correction ``z0`` is the normal quantile of the share of bootstrap values below the observed value
    (ties count half); the acceleration is the skewness of the jackknife values,
    ``sum(u^3) / (6 sum(u^2)^1.5)`` with ``u = mean(jackknife) - jackknife``.

    Parameters
    ----------
    samples : ndarray, shape (n_samples, ...)
        Bootstrap values.
    observed : ndarray, shape (...)
        The statistic on the original data.
    jackknife : ndarray, shape (n_leave_one_out, ...)
        The statistic with each unit (stimulus or subject) left out in turn.
    level : float
        Coverage.

    Returns
    -------
    ndarray, shape (..., 2)

    Raises
    ------
    InvalidOptionError
        If every bootstrap value of a statistic lies on one side of its observed value (the bias correction is
        infinite; scipy returns NaN there).
    """
    _check_level(level)
    samples, observed, jackknife = (np.asarray(v, dtype=np.float64) for v in (samples, observed, jackknife))
    share = ((samples < observed).mean(axis=0) + (samples <= observed).mean(axis=0)) / 2
    one_sided = np.flatnonzero((share == 0) | (share == 1))
    if one_sided.size:
        k = int(one_sided[0])
        side = "above" if np.ravel(share)[k] == 0 else "below"
        raise InvalidOptionError(f"BCa is undefined for statistic {k}: every bootstrap value lies {side} the observed "
                                 f"value {np.ravel(observed)[k]!r}, so its bias correction is infinite (NaN bounds). "
                                 "Use the percentile interval, or more resamples.")
    z0 = ndtri(share)
    u = jackknife.mean(axis=0) - jackknife
    with np.errstate(invalid="ignore", divide="ignore"):
        accel = (u**3).sum(axis=0) / (6 * ((u**2).sum(axis=0)) ** 1.5)
    accel = np.where(np.isfinite(accel), accel, 0.0)  # a constant jackknife has no skew to correct
    alpha = (1 - level) / 2
    out = []
    for z_alpha in (ndtri(alpha), ndtri(1 - alpha)):
        adjusted = ndtr(z0 + (z0 + z_alpha) / (1 - accel * (z0 + z_alpha)))
        flat = np.reshape(samples, (samples.shape[0], -1))
        q = np.reshape(np.broadcast_to(adjusted, observed.shape), -1)
        out.append(np.array([np.percentile(flat[:, k], 100 * q[k]) if np.isfinite(q[k]) else np.nan
                             for k in range(flat.shape[1])]).reshape(observed.shape))
    return np.stack(out, axis=-1)
