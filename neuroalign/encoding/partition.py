"""Banded ridge and variance partitioning between two feature spaces (himalaya's multiple-kernel ridge).

Two feature spaces ``A`` and ``B`` (two layers, two models, an image and a caption model) predict the same
targets. Three models are fitted on the same outer folds and scored by held-out R^2 per target:

- ``A`` alone and ``B`` alone: ridge with a penalty per target (:func:`~neuroalign.encoding.fit_encoding`);
- ``A`` and ``B`` jointly: banded ridge, each space with its own penalty, i.e. a multiple-kernel ridge on the
  two linear kernels ``Xa Xa^T`` and ``Xb Xb^T`` with per-target kernel weights and penalty chosen on inner folds
  by himalaya's random search (``MultipleKernelRidgeCV(kernels="precomputed", solver="random_search")``).

Then, per target (set-theoretic partitioning, de Heer et al. 2017; Dupré la Tour et al. 2022):
``unique_a = R2_joint - R2_b``, ``unique_b = R2_joint - R2_a``, ``shared = R2_a + R2_b - R2_joint``. Each is an
estimate from held-out data and may be slightly negative where a space adds nothing (it is reported as is, not
clipped: clipping would bias the averages upwards).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.backend import get_backend
from neuroalign.encoding.fit import _inner, fit_encoding
from neuroalign.metrics.base import MetricInputError
from neuroalign.metrics.folds import kfold_splits, make_splits
from neuroalign.metrics.predictivity import DEFAULT_ALPHAS
from neuroalign.metrics.ridge_solver import himalaya_backend

__all__ = ["VariancePartition", "banded_ridge_r2", "partition_variance"]


@dataclass(frozen=True)
class VariancePartition:
    """Held-out R^2 of each model and the variance partition, per target (averaged over the outer folds).

    Attributes
    ----------
    r2_a, r2_b, r2_joint : ndarray, shape (n_targets,)
    unique_a, unique_b, shared : ndarray, shape (n_targets,)
    deltas : ndarray, shape (n_folds, 2, n_targets)
        The log kernel weights of the joint model chosen in each fold.
    """

    r2_a: np.ndarray
    r2_b: np.ndarray
    r2_joint: np.ndarray
    unique_a: np.ndarray
    unique_b: np.ndarray
    shared: np.ndarray
    deltas: np.ndarray


def _centred_kernels(blocks: list[np.ndarray], train: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Linear kernels between ``rows`` and the training rows, features centred on the training mean."""
    out = []
    for x in blocks:
        centred = x - x[train].mean(axis=0)
        out.append(centred[rows] @ centred[train].T)
    return np.stack(out)


def banded_ridge_r2(blocks: list[np.ndarray], y: np.ndarray, train: np.ndarray, test: np.ndarray, inner: Any, *,
                    alphas: Any, n_iter: int, seed: int, backend: str, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """Held-out R^2 per target of a banded ridge on one outer fold, and its log kernel weights.

    ``inner`` holds the (train, validation) positions into ``train`` for himalaya's search.
    """
    from himalaya.kernel_ridge import MultipleKernelRidgeCV

    kernels_train = _centred_kernels(blocks, train, train).astype(dtype)
    kernels_test = _centred_kernels(blocks, train, test).astype(dtype)
    mean = y[train].mean(axis=0)
    with himalaya_backend(backend) as hb:
        model = MultipleKernelRidgeCV(kernels="precomputed", solver="random_search", fit_intercept=False, cv=inner,
                                      random_state=seed,
                                      solver_params=dict(n_iter=n_iter, alphas=np.asarray(alphas, dtype=dtype),
                                                         progress_bar=False))
        model.fit(hb.asarray(kernels_train), hb.asarray((y[train] - mean).astype(dtype)))
        prediction = hb.to_numpy(model.predict(hb.asarray(kernels_test))).astype(np.float64) + mean
        deltas = hb.to_numpy(model.deltas_).astype(np.float64)
    truth = y[test]
    r2 = 1.0 - ((truth - prediction) ** 2).sum(0) / ((truth - truth.mean(0)) ** 2).sum(0)
    return r2, deltas


def partition_variance(features_a: Any, features_b: Any, responses: Any, *, groups: Any = None, n_folds: int = 5,
                       alphas: Any = DEFAULT_ALPHAS, inner: int | str = 5, n_iter: int = 20, seed: int = 0,
                       device: Any = None, dtype: Any = "float64") -> VariancePartition:
    """Unique and shared held-out variance of two feature spaces for every target (see the module).

    Parameters
    ----------
    features_a, features_b : array_like, shape (n_stimuli, d_a) and (n_stimuli, d_b)
    responses : array_like, shape (n_stimuli, n_targets)
    groups : array_like, optional
        Runs or categories: whole groups in the outer and inner folds.
    n_folds : int
        Outer folds (the same for the three models).
    alphas : array_like
        Penalty grid (for the joint model: of the summed kernel).
    inner : int, "auto" or "loo"
        Inner folds for every model's hyperparameters, as in :func:`~neuroalign.encoding.fit_encoding` (the joint
        model's search runs leave-one-out as explicit folds).
    n_iter : int
        Random kernel weightings tried by the joint model's search (the first is the equal weighting).
    seed : int
        Seeds the random search.
    device, dtype
        As for :func:`~neuroalign.encoding.fit_encoding`.

    Returns
    -------
    VariancePartition
    """
    backend = get_backend(device, dtype)
    xa, xb, y = (np.asarray(v, dtype=np.float64) for v in (features_a, features_b, responses))
    if not (xa.ndim == xb.ndim == y.ndim == 2 and xa.shape[0] == xb.shape[0] == y.shape[0]):
        raise MetricInputError(f"partition_variance: features_a {xa.shape}, features_b {xb.shape} and responses "
                               f"{y.shape} must be 2-D with the same rows")
    options = dict(groups=groups, n_folds=n_folds, alphas=alphas, inner=inner, device=device, dtype=dtype)
    r2_a = fit_encoding(xa, y, **options).r2_per_fold
    r2_b = fit_encoding(xb, y, **options).r2_per_fold
    joint, deltas = [], []
    for train, test in make_splits(len(y), n_folds, groups, measure="partition_variance"):
        splits = _inner(train, inner, groups) or kfold_splits(len(train), len(train))  # None: leave-one-out
        r2, delta = banded_ridge_r2([xa, xb], y, train, test, splits, alphas=alphas, n_iter=n_iter, seed=seed,
                                    backend=backend.name, dtype=backend.dtype)
        joint.append(r2)
        deltas.append(delta)
    a, b, ab = r2_a.mean(0), r2_b.mean(0), np.mean(joint, axis=0)
    return VariancePartition(a, b, ab, ab - b, ab - a, a + b - ab, np.stack(deltas))
