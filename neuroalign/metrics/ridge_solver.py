"""Ridge with a penalty per target from one eigendecomposition per training set, every penalty and target at once.

The engine of :func:`neuroalign.metrics.predictivity.ridge_predictivity` and :func:`neuroalign.encoding.fit_encoding`.

The dual (kernel) form of ridge with an unpenalised intercept: for centred training features ``Xc`` and centred
targets ``Yc``, the Gram matrix ``K = Xc Xc^T + 1 1^T`` is decomposed once, ``K = Q diag(l) Q^T``. With
``P = Q^T Yc`` (one product for all targets), every penalty ``a`` gives

- the dual coefficients ``C_a = Q diag(w_a) P`` with ``w_a = 1 / (l + a)`` and ``w_a = 0`` on the eigenvector of
  the intercept (the one closest to the constant vector: the intercept is not penalised);
- the exact leave-one-out residuals ``C_a / diag(Q diag(w_a) Q^T)`` (the closed form scikit-learn's ``RidgeCV``
  uses, so ``inner="loo"`` chooses the penalties ``RidgeCV(alpha_per_target=True)`` chooses);
- predictions on new rows ``(Xnew - mean) Xc^T C_a + mean(Y)``, computed as ``(Knew Q) (w_a * P)``.

The decomposition is ``n_train x n_train``: this solver is the right one when stimuli do not outnumber features
by much (the usual encoding model: hundreds to a few thousand stimuli, thousands of features). Targets are
processed in chunks, so memory holds the features, the targets, one decomposition and a chunk's products.
Arrays go through himalaya's backend (NumPy on the CPU, torch on the CPU or CUDA), in float32 or float64.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np
from threadpoolctl import threadpool_limits

from neuroalign.backend import NUMPY, TORCH, TORCH_CUDA, Backend
from neuroalign.errors import InvalidOptionError
from neuroalign.metrics.ridge_loo import best_alphas_loo as _best_alphas_loo
from neuroalign.metrics.ridge_loo import loo_weights

__all__ = ["BACKENDS", "CHUNK", "Decomposition", "best_alphas_grouped", "best_alphas_loo", "decompose",
           "himalaya_backend", "predict", "ridge_cv"]

BACKENDS = (NUMPY, TORCH, TORCH_CUDA)  # himalaya's names, which neuroalign.backend shares

#: Targets per chunk: bounds the memory of the products (n_train x chunk per penalty) whatever the target count.
CHUNK = 4096


@contextlib.contextmanager
def himalaya_backend(name: str) -> Iterator[Any]:
    """Use himalaya backend ``name`` inside the block and restore the previous one (himalaya's is global)."""
    from himalaya.backend import get_backend, set_backend

    if name not in BACKENDS:
        raise InvalidOptionError(f"predictivity: backend must be one of {BACKENDS}; got {name!r}")
    previous = get_backend()
    try:
        yield set_backend(name)
    finally:
        set_backend(previous)


@dataclass
class Decomposition:
    """One training set's Gram eigendecomposition and what predicting from it needs (backend arrays)."""

    eigenvalues: Any
    q: Any
    intercept_dim: int
    new_q: Any  # (Xnew - mean) Xc^T Q, shape (n_new, n_train); None when there is nothing to predict


def _eigh(hb: Any, gram: Any) -> tuple[Any, Any]:
    """Eigenvalues and eigenvectors of a symmetric matrix.

    On NumPy: LAPACK's divide and conquer (``syevd``; half the work of scipy's default ``syevr`` here) in ONE BLAS
    thread. The tridiagonal reduction is made of small matrix-vector products, whose threads wait on each other:
    a 1600 x 1600 float32 Gram matrix took 0.3 s of CPU and 0.4-0.9 s of wall time in one OpenBLAS thread against
    2-8 s of CPU and 3-25 s of wall time in two (2-core machine at load 9; 9 s at load 1.7). The products elsewhere
    keep all threads.
    """
    if hb.name != NUMPY:
        return hb.eigh(gram)
    from scipy.linalg import eigh  # scipy.linalg takes a noticeable time to import; himalaya's backend has it

    with threadpool_limits(1, user_api="blas"):
        return eigh(gram, driver="evd", overwrite_a=True, check_finite=False)


def decompose(hb: Any, x_train: Any, x_new: Any = None) -> Decomposition:
    """Decompose the training Gram matrix of ``x_train`` (backend array) for predicting ``x_new`` (see the module)."""
    mean = hb.sum(x_train, 0) / x_train.shape[0]
    centred = x_train - mean
    gram = hb.matmul(centred, centred.T) + 1.0
    eigenvalues, q = _eigh(hb, gram)
    intercept_dim = int(hb.to_numpy(hb.argmax(hb.abs(hb.sum(q, 0)), 0)))  # the column closest to 1 / sqrt(n)
    new_q = None if x_new is None else hb.matmul(hb.matmul(x_new - mean, centred.T), q)
    del gram, centred
    return Decomposition(eigenvalues, q, intercept_dim, new_q)


def _weights(hb: Any, d: Decomposition, alphas: Any) -> Any:
    return loo_weights(hb, d.eigenvalues, d.intercept_dim, alphas)


def best_alphas_loo(hb: Any, d: Decomposition, p: Any, alphas: Any) -> np.ndarray:
    """Index of the penalty with the smallest mean squared leave-one-out error, per target (first on ties).

    ``p`` is ``Q^T Yc`` for a chunk of targets; see :mod:`neuroalign.metrics.ridge_loo` for how the products are
    limited to the penalties that can win.
    """
    return _best_alphas_loo(hb, d.q, d.eigenvalues, d.intercept_dim, p, alphas)


def predict(hb: Any, d: Decomposition, p: Any, alphas: Any, chosen: Any) -> Any:
    """Centred predictions on ``d``'s new rows with each target's chosen penalty (``chosen``: indices into alphas).

    Computed with targets as rows (``p.T`` is contiguous when ``p`` is the transposed view :func:`_fold` makes).
    """
    w = 1.0 / (d.eigenvalues[None, :] + alphas[chosen][:, None])
    w[:, d.intercept_dim] = 0.0
    w *= p.T
    return hb.matmul(w, d.new_q.T).T


def best_alphas_grouped(hb: Any, x: Any, y: Any, alphas: Any, inner: list) -> Any:
    """Index of the penalty with the smallest inner-fold mean squared error (summed over folds), per target.

    One decomposition per inner fold serves every penalty and target; ``inner`` holds (train, validation) row
    indices of ``x`` and ``y`` (a chunk of targets).
    """
    total = None
    for train, valid in inner:
        d = decompose(hb, x[train], x[valid])
        mean = hb.sum(y[train], 0) / len(train)
        p = hb.matmul(d.q.T, y[train] - mean)
        residual = y[valid] - mean
        weights = _weights(hb, d, alphas)
        errors = hb.stack([hb.sum((residual - hb.matmul(d.new_q, weights[:, k:k + 1] * p)) ** 2, 0) / len(valid)
                           for k in range(weights.shape[1])])
        total = errors if total is None else total + errors
    return hb.argmax(-total, 0)


def _scores(hb: Any, y: Any, pred: Any) -> tuple[np.ndarray, np.ndarray]:
    """Held-out Pearson r and R^2 (the test rows' own mean as baseline) per target, as float64 NumPy."""
    yc = y - hb.sum(y, 0) / y.shape[0]
    pc = pred - hb.sum(pred, 0) / pred.shape[0]
    r = hb.sum(yc * pc, 0) / hb.sqrt(hb.sum(yc * yc, 0) * hb.sum(pc * pc, 0))
    r2 = 1.0 - hb.sum((y - pred) ** 2, 0) / hb.sum(yc * yc, 0)
    return hb.to_numpy(r).astype(np.float64), hb.to_numpy(r2).astype(np.float64)


def _fold(hb: Any, x: Any, y: np.ndarray, train: np.ndarray, test: np.ndarray, grid: Any, inner: list | None,
          dtype: str, chunk: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = decompose(hb, x[train], x[test])
    r, r2, chosen = [], [], []
    for start in range(0, y.shape[1], chunk):
        # Only this chunk of targets is on the backend (and in the compute precision) at a time.
        columns = slice(start, start + chunk)
        y_train = hb.asarray(np.asarray(y[train, columns], dtype=dtype))  # a copy of these rows and columns only
        y_test = hb.asarray(np.asarray(y[test, columns], dtype=dtype))
        mean = hb.sum(y_train, 0) / len(train)
        best = None if inner is None else best_alphas_grouped(hb, x[train], y_train, grid, inner)
        y_train -= mean  # our own copy, centred in place
        p = hb.matmul(y_train.T, d.q).T  # Q^T Yc as a view of its transpose (see ridge_loo)
        del y_train  # not needed past here: the penalty search's products get its memory
        best = hb.asarray(best_alphas_loo(hb, d, p, grid) if best is None else best)
        fold_r, fold_r2 = _scores(hb, y_test, predict(hb, d, p, grid, best) + mean)
        r.append(fold_r)
        r2.append(fold_r2)
        chosen.append(hb.to_numpy(best))
    return np.concatenate(r), np.concatenate(r2), np.concatenate(chosen)


def ridge_cv(x: np.ndarray, y: np.ndarray, splits: list, grid: np.ndarray, inner: list, backend: Backend, *,
             chunk: int = CHUNK) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Held-out r and R^2 of every target in every outer fold, and each target's chosen penalty.

    Parameters
    ----------
    x : ndarray, shape (n, d)
    y : ndarray, shape (n, t)
        Kept as given; each chunk of targets is converted to the compute precision on its own.
    splits : list of (train, test) index arrays
    grid : ndarray
        Penalties.
    inner : list
        Per outer fold: ``None`` (exact leave-one-out) or the inner (train, validation) splits as positions into
        that fold's training rows.
    backend : Backend
        From :func:`neuroalign.backend.get_backend` (its name is himalaya's backend, its dtype the precision).
    chunk : int
        Targets per chunk.

    Returns
    -------
    r, r2 : ndarray, shape (n_folds, t)
    chosen : ndarray, shape (n_folds, t)
        The penalties (values of ``grid``).
    """
    r, r2, chosen = [], [], []
    with himalaya_backend(backend.name) as hb:
        xb = hb.asarray(np.ascontiguousarray(x, dtype=backend.dtype))
        grid_b = hb.asarray(np.asarray(grid, dtype=backend.dtype))
        for (train, test), inner_splits in zip(splits, inner):
            fold = _fold(hb, xb, y, train, test, grid_b, inner_splits, backend.dtype, chunk)
            r.append(fold[0])
            r2.append(fold[1])
            chosen.append(np.asarray(grid)[fold[2]])
    return np.stack(r), np.stack(r2), np.stack(chosen)
