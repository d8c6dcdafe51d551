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

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["EXTREME_ROWS", "SLACK", "LooPlan", "best_alphas_loo", "loo_plan", "loo_weights"]

#: Relative margin by which a penalty's lower bound must exceed the best upper bound before it is dropped: 1e-3 is
#: about a hundred times the float32 rounding of the errors, so rounding never decides a pruning.
SLACK = 1e-3

#: Rows computed exactly in step 2, at most (an eighth of the training rows when fewer): 8% of a full product for
#: 1600 training rows, and it settles about half the targets step 1 leaves open (measured on the perf case's data).
EXTREME_ROWS = 128

#: Rows of the eigenbasis squared at a time for the leverages (a block, not an n x n copy).
_ROW_BLOCK = 256


def loo_weights(hb: Any, eigenvalues: Any, intercept_dim: int | None, alphas: Any) -> Any:
    """``1 / (l + a)`` for every penalty (columns), zero on the intercept's eigenvector (it is not penalised)."""
    w = 1.0 / (eigenvalues[:, None] + alphas[None, :])
    if intercept_dim is not None:  # None: a thin basis of the centred features, which the intercept is not in
        w[intercept_dim] = 0.0
    return w


@dataclass
class LooPlan:
    """What the search needs of one decomposition for every chunk of targets, computed once per fold.

    Attributes
    ----------
    q : backend array, shape (n, n_basis)
        The eigenbasis (square), or a thin basis of the centred features.
    weights : backend array, shape (n_basis, n_alphas)
        ``w`` of every penalty.
    leverages : backend array, shape (n, n_alphas)
        ``h`` of every penalty.
    g : ndarray, shape (n, n_alphas)
        ``1 / h^2`` in float64.
    extremes : list of (ndarray of int, float, float)
        Per penalty: the rows computed exactly in step 2 and the range of ``g`` over the others.
    inverse_alphas : ndarray, shape (n_alphas,)
        ``1 / a``: the weight of a target's part outside a thin basis (see :func:`best_alphas_loo`).
    """

    q: Any
    weights: Any
    leverages: Any
    g: np.ndarray
    extremes: list
    inverse_alphas: np.ndarray


def _in_play(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Which penalties (rows) can still be each target's (column's) best, given bounds on their errors."""
    return lower <= upper.min(0) * (1.0 + SLACK)


def _extreme_rows(g: np.ndarray, m: int) -> tuple[np.ndarray, float, float]:
    """The ``m`` rows whose removal leaves the narrowest range of ``g``, and that range (min, max)."""
    order = np.argsort(g)
    n = len(g)
    spans = g[order[n - m - 1 + np.arange(m + 1)]] - g[order[:m + 1]]  # keep order[s : n - m + s]
    s = int(np.argmin(spans))
    return np.concatenate([order[:s], order[n - m + s:]]), float(g[order[s]]), float(g[order[n - m + s - 1]])


def _index(hb: Any, cols: np.ndarray) -> Any:
    return hb.asarray(cols.astype(np.int64))


def loo_plan(hb: Any, q: Any, eigenvalues: Any, intercept_dim: int | None, alphas: Any,
             null_leverage: np.ndarray | None = None) -> LooPlan:
    """The per-decomposition part of the search (see :class:`LooPlan`).

    Parameters
    ----------
    hb : himalaya backend module
    q, eigenvalues : backend arrays
        The training Gram matrix's eigenvectors (columns) and eigenvalues; or a thin basis of the centred training
        features (their left singular vectors) and the squared singular values.
    intercept_dim : int or None
        The eigenvector of the unpenalised intercept (None for a thin basis, which the intercept is not in).
    alphas : backend array, shape (n_alphas,)
    null_leverage : ndarray, shape (n_train,), optional
        For a thin basis: each row's leverage outside it and outside the intercept (``1 - 1/n - |q_i|^2``).
    """
    weights = loo_weights(hb, eigenvalues, intercept_dim, alphas)
    n = q.shape[0]
    inverse_alphas = 1.0 / hb.to_numpy(alphas).astype(np.float64)
    leverages = hb.concatenate([hb.matmul(q[s:s + _ROW_BLOCK] ** 2, weights) for s in range(0, n, _ROW_BLOCK)])
    h = hb.to_numpy(leverages)
    if null_leverage is not None:  # the directions outside the basis, where every weight is 1 / a
        h = h + (null_leverage[:, None] * inverse_alphas[None, :]).astype(h.dtype)
        leverages = hb.asarray(h)
    g = 1.0 / h.astype(np.float64) ** 2
    m = min(EXTREME_ROWS, n // 8)
    extremes = []
    for k in range(weights.shape[1]):
        rows, g_low, g_high = _extreme_rows(g[:, k], m) if m > 0 else (np.zeros(0, np.int64), 0.0, 0.0)
        extremes.append((rows, g_low, g_high))
    return LooPlan(q, weights, leverages, g, extremes, inverse_alphas)


def best_alphas_loo(hb: Any, plan: LooPlan, p: Any, outside: Any = None) -> np.ndarray:
    """Index of the penalty with the smallest mean squared leave-one-out error, per target (first on ties).

    Parameters
    ----------
    hb : himalaya backend module
    plan : LooPlan
        From :func:`loo_plan` on the fold's decomposition.
    p : backend array, shape (n_basis, n_targets)
        ``Q^T Yc`` for a chunk of targets; fastest as the transpose of a C-ordered ``Yc^T Q``.
    outside : backend array, shape (n_train, n_targets), optional
        For a thin basis: ``Yc - Q Q^T Yc``, the targets' part outside it, whose dual coefficients are ``1 / a``
        times itself (orthogonal to the basis, so every bound below holds with its squared norm added).

    Returns
    -------
    ndarray of int, shape (n_targets,)
    """
    q, weights, g = plan.q, plan.weights, plan.g
    n_alphas = weights.shape[1]
    rows_of_p = p.T  # targets as rows: gathering the open targets copies contiguous rows when p is a transposed view
    norms = hb.to_numpy(hb.matmul(rows_of_p * rows_of_p, weights * weights)).T.astype(np.float64)  # ||c||^2
    rows_of_outside = None if outside is None else outside.T
    if outside is not None:  # orthogonal to the basis: its squared norm adds to every penalty's
        norms += hb.to_numpy(hb.sum(outside * outside, 0)).astype(np.float64) * plan.inverse_alphas[:, None] ** 2
    lower, upper = norms * g.min(0)[:, None], norms * g.max(0)[:, None]
    live = _in_play(lower, upper)
    open_ = live.sum(0) > 1
    if len(plan.extremes[0][0]) and open_.any():
        for k, (rows, g_low, g_high) in enumerate(plan.extremes):
            cols = np.flatnonzero(live[k] & open_)
            if cols.size == 0:
                continue
            part = hb.matmul(rows_of_p[_index(hb, cols)], (q[_index(hb, rows)] * weights[:, k]).T)  # (cols, m)
            part = hb.to_numpy(part).astype(np.float64)
            if outside is not None:
                part += hb.to_numpy(outside[_index(hb, rows)][:, _index(hb, cols)]).T * plan.inverse_alphas[k]
            part **= 2
            exact = part @ g[rows, k]
            rest = np.maximum(norms[k, cols] - part.sum(1), 0.0)
            lower[k, cols], upper[k, cols] = exact + g_low * rest, exact + g_high * rest
        live = _in_play(lower, upper)
        open_ = live.sum(0) > 1
    errors = np.where(live, 0.0, np.inf)
    penalty, target = np.nonzero(live & open_)  # the (penalty, target) pairs left, grouped by penalty
    # Their residuals c / h a batch of (at most as many as the chunk's targets) pairs at a time, ONE product with
    # the eigenbasis per batch: a product per penalty would read all of Q (n x n) once per penalty and chunk for a
    # few dozen targets each time, and all the pairs at once would hold several n x n arrays (4 penalties per
    # target are left on the perf case's data).
    batch = max(1, rows_of_p.shape[0])
    for start in range(0, penalty.size, batch):
        ks, cols = penalty[start:start + batch], target[start:start + batch]
        scaled = rows_of_p[_index(hb, cols)]  # a copy, scaled in place by each row's penalty weights
        runs = np.flatnonzero(np.diff(ks, prepend=-1, append=n_alphas))  # where each penalty's rows begin
        for a, b in zip(runs[:-1], runs[1:]):
            scaled[a:b] *= weights[:, int(ks[a])]
        residuals = hb.matmul(scaled, q.T)
        del scaled
        for a, b in zip(runs[:-1], runs[1:]):
            if rows_of_outside is not None:
                residuals[a:b] += rows_of_outside[_index(hb, cols[a:b])] * float(plan.inverse_alphas[ks[a]])
            residuals[a:b] /= plan.leverages[:, int(ks[a])]
        residuals *= residuals
        errors[ks, cols] = hb.to_numpy(hb.sum(residuals, 1))
    return np.argmin(errors, 0)
