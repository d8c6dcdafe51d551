"""Noise precision (inverse covariance) estimated from residuals, for Mahalanobis and crossnobis distances.

Four estimators, with rsatoolbox's names and numbers (``rsatoolbox.data.noise.prec_from_residuals``):

- ``"full"``: the sample covariance ``S = R^T R / dof`` of column-centred residuals ``R``; singular when
  ``dof < p``.
- ``"diag"``: only the variances, ``diag(S)``. Returned as a 1-D vector of precisions (a ``p x p`` diagonal
  matrix would waste ``p^2`` memory; the engine takes the vector as it is).
- ``"shrinkage_eye"``: Ledoit & Wolf (2004), shrinking ``R^T R / N`` toward ``m I`` (``m`` the mean variance) by
  the estimated optimal amount, then rescaled by ``N / dof``.
- ``"shrinkage_diag"``: Schäfer & Strimmer (2005), shrinking the off-diagonal covariances toward zero by the
  estimated optimal amount (the variances stay).

The Ledoit-Wolf and Schäfer-Strimmer terms use sums of fourth moments over residuals; we compute them from Gram
products (``sum_i |r_i|^4`` and ``(R o R)^T (R o R)``) instead of looping over residuals.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from neuroalign.errors import InvalidPatternsError, ShapeMismatchError
from neuroalign.registry import Registry

Estimator = Callable[[np.ndarray, int], np.ndarray]
#: Covariance estimators by name; each takes column-centred residuals and the degrees of freedom.
COVARIANCE_ESTIMATORS: Registry[Estimator] = Registry("noise estimation method")


def _full(centred: np.ndarray, dof: int) -> np.ndarray:
    return centred.T @ centred / dof


def _diag(centred: np.ndarray, dof: int) -> np.ndarray:
    return np.einsum("ij,ij->j", centred, centred) / dof


def _shrinkage_eye(centred: np.ndarray, dof: int) -> np.ndarray:
    n, p = centred.shape
    sample = centred.T @ centred / n
    # b^2 of Ledoit & Wolf: the mean squared deviation of the per-residual outer products from their mean.
    fourth = np.sum(np.einsum("ij,ij->i", centred, centred) ** 2) / n
    b2 = (fourth - np.vdot(sample, sample)) / n
    variances = np.diag(sample).copy()
    m = variances.mean()
    # |S - m I|_F^2 as off-diagonal squares plus the spread of the variances: the textbook |S|^2 - p m^2 cancels
    # catastrophically when S is close to m I. The diagonal is zeroed in place (no p x p temporary), then restored.
    np.fill_diagonal(sample, 0.0)
    d2 = np.vdot(sample, sample) + np.sum((variances - m) ** 2)
    np.fill_diagonal(sample, variances)
    if d2 == 0:  # already a multiple of the identity: nothing to shrink toward
        return sample * (n / dof)
    weight = min(d2, b2) / d2  # the shrinkage intensity, in [0, 1]
    shrunk = sample * (1 - weight)
    shrunk[np.diag_indices(p)] += weight * m
    return shrunk * (n / dof)


def _shrinkage_diag(centred: np.ndarray, dof: int) -> np.ndarray:
    n, p = centred.shape
    sums = centred.T @ centred
    squared = centred * centred
    sums_sq = squared.T @ squared
    covariance = sums / dof
    var = np.diag(covariance).copy()
    std = np.sqrt(var)
    # Correlations and their estimated variance (Schäfer & Strimmer's var(r_kl)), with rsatoolbox's n - 1.
    corr = sums / np.outer(std, std) / (n - 1)
    corr_sq = sums_sq / np.outer(var, var) / (n - 1)
    var_hat = n / dof ** 2 * (corr_sq - corr ** 2)
    off = ~np.eye(p, dtype=bool)
    lam = float(np.clip(var_hat[off].sum() / np.sum(corr[off] ** 2), 0, 1)) if p > 1 else 1.0
    shrunk = covariance * (1 - lam)
    shrunk[np.diag_indices(p)] = var
    return shrunk


COVARIANCE_ESTIMATORS.register("full", _full)
COVARIANCE_ESTIMATORS.register("diag", _diag)
COVARIANCE_ESTIMATORS.register("shrinkage_eye", _shrinkage_eye)
COVARIANCE_ESTIMATORS.register("shrinkage_diag", _shrinkage_diag)


def _invert(covariance: np.ndarray, method: str) -> np.ndarray:
    if covariance.ndim == 1:
        return 1.0 / covariance
    try:
        np.linalg.cholesky(covariance)  # a cheap positive-definiteness test with a clear failure
    except np.linalg.LinAlgError:
        raise InvalidPatternsError(
            f"the {method!r} covariance estimate is singular (fewer residual degrees of freedom than channels, or "
            "collinear channels); use method='shrinkage_diag' or 'shrinkage_eye'"
        ) from None
    precision = np.linalg.inv(covariance)
    return (precision + precision.T) / 2  # inv() leaves rounding asymmetry; a precision is symmetric


def noise_precision(residuals: np.ndarray, method: str = "shrinkage_diag", dof: int | None = None) -> np.ndarray:
    """Estimate a noise precision matrix from residuals.

    Parameters
    ----------
    residuals : ndarray, shape (n_residuals, n_channels)
        Residuals of a first-level model (e.g. GLM residual time series), or single-trial patterns minus their
        condition means. Columns are centred before use; the input is not modified.
    method : {"shrinkage_diag", "shrinkage_eye", "diag", "full"}
        The covariance estimator (see the module docstring); rsatoolbox's default is ``"shrinkage_diag"``.
    dof : int, optional
        Degrees of freedom of the covariance estimate; default ``n_residuals - 1``. Reduce it by the number of
        regressors of the model that produced the residuals.

    Returns
    -------
    ndarray
        The ``(n_channels, n_channels)`` precision, or for ``"diag"`` the 1-D vector of its diagonal. Pass it as
        ``noise=`` to :func:`compute_rdms`. Equals rsatoolbox's ``prec_from_residuals`` (the diagonal of it for
        ``"diag"``) to float64 rounding.

    Raises
    ------
    ShapeMismatchError
        If ``residuals`` is not 2-D or has fewer than 2 rows.
    InvalidPatternsError
        If it holds NaN/Inf, a channel has zero variance, or the estimate is singular.
    UnknownNameError
        For an unknown method.
    """
    estimator = COVARIANCE_ESTIMATORS.get(method)
    values = np.asarray(residuals, dtype=np.float64)
    if values.ndim != 2:
        raise ShapeMismatchError(f"residuals must be 2-D (n_residuals x n_channels); got shape {values.shape}")
    if values.shape[0] < 2:
        raise ShapeMismatchError(f"a covariance needs at least 2 residuals; got {values.shape[0]}")
    if not np.isfinite(values).all():
        rows = np.flatnonzero(~np.isfinite(values).all(axis=1))[:5].tolist()
        raise InvalidPatternsError(f"residuals contain NaN or Inf (rows {rows})")
    dof = values.shape[0] - 1 if dof is None else int(dof)
    if dof < 1:
        raise ShapeMismatchError(f"dof must be >= 1; got {dof}")
    centred = values - values.mean(axis=0, keepdims=True)
    flat = np.flatnonzero(np.einsum("ij,ij->j", centred, centred) == 0)
    if flat.size:
        raise InvalidPatternsError(f"channels {flat[:5].tolist()} have zero residual variance; their noise "
                                   "precision would be infinite. Drop them")
    return _invert(estimator(centred, dof), COVARIANCE_ESTIMATORS.canonical(method))
