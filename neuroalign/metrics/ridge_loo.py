"""Each target's leave-one-out penalty from one eigendecomposition, with the products only the close calls need.

For a penalty ``a`` the exact leave-one-out residuals of a target are ``c / h`` with ``c = Q (w * p)`` (its dual
coefficients: ``p`` the target's column of ``Q^T Yc``, ``w = 1 / (l + a)`` zero on the intercept's eigenvector) and
``h = (Q * Q) w`` (the diagonal of ``Q diag(w) Q^T``); the error is ``E(a) = sum_i c_i^2 g_i`` with
``g = 1 / h^2``. Computed for every penalty and target, this is one ``n x n`` by ``n x t`` product per penalty:
nearly all the work of choosing penalties. Most of it can be skipped without changing the choice:

1. ``Q`` is orthogonal, so ``||c||^2 = sum_k w_k^2 p_k^2`` costs ``n`` per target, and
   ``min(g) ||c||^2 <= E(a) <= max(g) ||c||^2``. A penalty whose lower bound exceeds another penalty's upper
   bound (by a relative margin :data:`SLACK`, far above rounding) cannot be the target's best.
2. For the penalties still in play, the rows with the most extreme ``g`` (:data:`EXTREME_ROWS` of them) are
   computed exactly (a product ``m x n`` by ``n x t``): ``E = sum_R g_i c_i^2 + sum_rest g_i c_i^2``, where the
   rest has ``||c||^2 - sum_R c_i^2`` as its squared norm and a much narrower range of ``g``. Prune again.
3. The errors of the penalties left (usually two neighbours on the grid, for targets the bounds did not settle) are
   computed exactly, as before.

A target with one penalty left after pruning gets it without any product. The choice is the argmin of exact errors
over the penalties that can win, which is the argmin over all of them (first on ties, as ``RidgeCV``): the same
penalties as computing every error, to rounding of the errors themselves.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["EXTREME_ROWS", "SLACK", "best_alphas_loo", "loo_weights"]

#: Relative margin by which a penalty's lower bound must exceed the best upper bound before it is dropped: 1e-3 is
#: about a hundred times the float32 rounding of the errors, so rounding never decides a pruning.
SLACK = 1e-3

#: Rows computed exactly in step 2, at most (an eighth of the training rows when fewer): 8% of a full product for
#: 1600 training rows, and it settles about half the targets step 1 leaves open (measured on the perf case's data).
EXTREME_ROWS = 128


def loo_weights(hb: Any, eigenvalues: Any, intercept_dim: int, alphas: Any) -> Any:
    """``1 / (l + a)`` for every penalty (columns), zero on the intercept's eigenvector (it is not penalised)."""
    w = 1.0 / (eigenvalues[:, None] + alphas[None, :])
    w[intercept_dim] = 0.0
    return w


def _in_play(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Which penalties (rows) can still be each target's (column's) best, given bounds on their errors."""
    return lower <= upper.min(0) * (1.0 + SLACK)


def _extreme_rows(g: np.ndarray, m: int) -> tuple[np.ndarray, float, float]:
    """The ``m`` rows whose removal leaves the narrowest range of ``g``, and that range (min, max)."""
    order = np.argsort(g)
    n = len(g)
    spans = [g[order[n - m + s - 1]] - g[order[s]] for s in range(m + 1)]  # keep order[s : n - m + s]
    s = int(np.argmin(spans))
    return np.concatenate([order[:s], order[n - m + s:]]), float(g[order[s]]), float(g[order[n - m + s - 1]])


def _index(hb: Any, cols: np.ndarray) -> Any:
    return hb.asarray(cols.astype(np.int64))


def best_alphas_loo(hb: Any, q: Any, eigenvalues: Any, intercept_dim: int, p: Any, alphas: Any) -> np.ndarray:
    """Index of the penalty with the smallest mean squared leave-one-out error, per target (first on ties).

    Parameters
    ----------
    hb : himalaya backend module
    q, eigenvalues : backend arrays
        The training Gram matrix's eigenvectors (columns) and eigenvalues.
    intercept_dim : int
        The eigenvector of the unpenalised intercept.
    p : backend array, shape (n_train, n_targets)
        ``Q^T Yc`` for a chunk of targets; fastest as the transpose of a C-ordered ``Yc^T Q``.
    alphas : backend array, shape (n_alphas,)

    Returns
    -------
    ndarray of int, shape (n_targets,)
    """
    weights = loo_weights(hb, eigenvalues, intercept_dim, alphas)
    n, n_alphas = weights.shape
    rows_of_p = p.T  # targets as rows: gathering the open targets copies contiguous rows when p is a transposed view
    diag = hb.matmul(q * q, weights)  # h for every penalty, (n, n_alphas)
    g = 1.0 / hb.to_numpy(diag).astype(np.float64) ** 2
    norms = hb.to_numpy(hb.matmul(rows_of_p * rows_of_p, weights * weights)).T.astype(np.float64)  # ||c||^2
    lower, upper = norms * g.min(0)[:, None], norms * g.max(0)[:, None]
    live = _in_play(lower, upper)
    m = min(EXTREME_ROWS, n // 8)
    open_ = live.sum(0) > 1
    if m > 0 and open_.any():
        for k in range(n_alphas):
            cols = np.flatnonzero(live[k] & open_)
            if cols.size == 0:
                continue
            rows, g_low, g_high = _extreme_rows(g[:, k], m)
            part = hb.matmul(rows_of_p[_index(hb, cols)], (q[_index(hb, rows)] * weights[:, k]).T)  # (cols, m)
            part = hb.to_numpy(part).astype(np.float64) ** 2
            exact = part @ g[rows, k]
            rest = np.maximum(norms[k, cols] - part.sum(1), 0.0)
            lower[k, cols], upper[k, cols] = exact + g_low * rest, exact + g_high * rest
        live = _in_play(lower, upper)
        open_ = live.sum(0) > 1
    errors = np.where(live, 0.0, np.inf)
    for k in range(n_alphas):
        cols = np.flatnonzero(live[k] & open_)
        if cols.size:
            # Residuals c / h in one product: the weights and 1 / h scale the n x n eigenbasis, not the targets.
            residuals = hb.matmul(rows_of_p[_index(hb, cols)], (q * weights[:, k] / diag[:, k:k + 1]).T)
            residuals *= residuals
            errors[k, cols] = hb.to_numpy(hb.sum(residuals, 1))
    return np.argmin(errors, 0)
