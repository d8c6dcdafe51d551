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

With fewer features than training rows (sensors as features, thousands of trials) the ``n_train x n_train`` Gram
matrix would be mostly null space: the thin SVD of the centred features ``Xc = U S V^T`` is used instead, and the
same formulas hold with ``Q = U``, ``l = s^2`` and the targets' part outside ``U`` (``Yc - U U^T Yc``, whose dual
coefficients are ``1 / a`` times itself, each row's leverage there ``1 - 1/n - |U_i|^2``): ``n_train x n_features``
memory and ``n_train n_features^2`` work instead of ``n_train^2`` and ``n_train^3`` (8000 trials x 64 sensors ->
200 targets, 5 folds: 0.34 s and 22.7 MiB of arrays at peak, against 131 s and 629 MiB through the Gram matrix;
20,000 trials: 0.77 s, 56.6 MiB, where the Gram matrix alone would be 1.5 GiB). Targets are
processed in chunks and the Gram matrix is built a block of features at a time and decomposed in place
(:mod:`neuroalign.metrics.ridge_gram`), so memory holds the features, the targets and the answer, and beside them
never more than the decomposition itself needs (the Gram matrix and LAPACK's workspace): a chunk's products and the
eigenbasis are less than that.
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
from neuroalign.metrics.ridge_gram import cross_gram, training_gram
from neuroalign.metrics.ridge_loo import best_alphas_loo as _best_alphas_loo
from neuroalign.metrics.ridge_loo import loo_plan, loo_weights

__all__ = ["BACKENDS", "CHUNK_WORK", "Decomposition", "best_alphas_grouped", "best_alphas_loo", "decompose",
           "default_chunk", "himalaya_backend", "predict", "ridge_cv"]

BACKENDS = (NUMPY, TORCH, TORCH_CUDA)  # himalaya's names, which neuroalign.backend shares

#: Least work per chunk of targets (``chunk x n_train x basis`` multiply-adds): see :func:`default_chunk`.
CHUNK_WORK = 2**28


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
    """One training set's decomposition and what predicting from it needs (backend arrays).

    With at least as many features as training rows, the eigendecomposition of the Gram matrix (``q`` square,
    ``intercept_dim`` its intercept's column); with fewer features, the thin SVD of the centred features (``q`` their
    ``n_train x rank`` left singular vectors, ``eigenvalues`` the squared singular values, ``intercept_dim`` None,
    ``null_leverage`` each row's leverage outside them and the intercept): ``n_train x n_features`` instead of
    ``n_train^2`` memory and ``n_train n_features^2`` instead of ``n_train^3`` work.
    """

    eigenvalues: Any
    q: Any
    intercept_dim: int | None
    new_q: Any  # (Xnew - mean) Xc^T Q, shape (n_new, n_basis); None when there is nothing to predict
    null_leverage: np.ndarray | None = None


def _eigh(hb: Any, gram: Any) -> tuple[Any, Any]:
    """Eigenvalues and eigenvectors of a symmetric matrix (on NumPy, in place: the eigenvectors take its memory).

    On NumPy: LAPACK's divide and conquer (``syevd``; half the work of scipy's default ``syevr`` here) in ONE BLAS
    thread. The tridiagonal reduction is made of small matrix-vector products, whose threads wait on each other:
    a 1600 x 1600 float32 Gram matrix took 0.3 s of CPU and 0.4-0.9 s of wall time in one OpenBLAS thread against
    2-8 s of CPU and 3-25 s of wall time in two (2-core machine at load 9; 9 s at load 1.7). The products elsewhere
    keep all threads.
    """
    if hb.name != NUMPY:
        return hb.eigh(gram)
    from scipy.linalg import eigh  # scipy.linalg takes a noticeable time to import; himalaya's backend has it

    with _one_blas_thread(hb):
        # The transpose of the symmetric matrix is the same matrix in Fortran order, which LAPACK overwrites.
        return eigh(gram.T, driver="evd", overwrite_a=True, check_finite=False)


def _one_blas_thread(hb: Any) -> contextlib.AbstractContextManager:
    """One BLAS thread on NumPy for LAPACK's reductions to tridiagonal or bidiagonal form (see :func:`_eigh`)."""
    return threadpool_limits(1, user_api="blas") if hb.name == NUMPY else contextlib.nullcontext()


def _thin(hb: Any, x: Any, train: np.ndarray, new: np.ndarray | None) -> Decomposition:
    """The thin SVD of the centred training features (fewer features than rows; see :class:`Decomposition`)."""
    rows = x[train]
    mean = hb.sum(rows, 0) / len(train)
    rows -= mean  # a copy (index array)
    with _one_blas_thread(hb):
        u, s, vt = hb.svd(rows, full_matrices=False)
    s_np = hb.to_numpy(s)
    # Directions whose singular value is rounding (numpy's matrix_rank tolerance) are outside the basis.
    keep = int((s_np > s_np.max(initial=0.0) * max(rows.shape) * np.finfo(s_np.dtype).eps).sum())
    u, s, vt = u[:, :keep], s[:keep], vt[:keep]
    null = 1.0 - 1.0 / len(train) - (hb.to_numpy(u).astype(np.float64) ** 2).sum(1)
    new_q = None if new is None else hb.matmul(x[new] - mean, vt.T) * s
    return Decomposition(s * s, u, None, new_q, np.maximum(null, 0.0))


def decompose(hb: Any, x: Any, train: np.ndarray, new: np.ndarray | None = None) -> Decomposition:
    """Decompose the rows ``train`` of ``x`` (backend array) for predicting its rows ``new`` (see
    :class:`Decomposition`)."""
    train = np.asarray(train)
    if x.shape[1] < len(train):
        return _thin(hb, x, train, new)
    eigenvalues, q = _eigh(hb, training_gram(hb, x, train))  # on NumPy q takes the Gram matrix's memory
    intercept_dim = int(hb.to_numpy(hb.argmax(hb.abs(hb.sum(q, 0)), 0)))  # the column closest to 1 / sqrt(n)
    new_q = None if new is None else hb.matmul(cross_gram(hb, x, train, np.asarray(new)), q)
    return Decomposition(eigenvalues, q, intercept_dim, new_q)


def best_alphas_loo(hb: Any, d: Decomposition, p: Any, alphas: Any, outside: Any = None) -> np.ndarray:
    """Index of the penalty with the smallest mean squared leave-one-out error, per target (first on ties).

    ``p`` is ``Q^T Yc`` for a chunk of targets (and, for a thin basis, ``outside`` is ``Yc - Q p``); see :mod:`neuroalign.metrics.ridge_loo` for how the products are
    limited to the penalties that can win. For many chunks of one decomposition, make the plan once with
    :func:`neuroalign.metrics.ridge_loo.loo_plan` and call its ``best_alphas_loo`` directly (as :func:`ridge_cv`).
    """
    return _best_alphas_loo(hb, loo_plan(hb, d.q, d.eigenvalues, d.intercept_dim, alphas, d.null_leverage), p,
                            outside)


def predict(hb: Any, d: Decomposition, p: Any, alphas: Any, chosen: Any) -> Any:
    """Centred predictions on ``d``'s new rows with each target's chosen penalty (``chosen``: indices into alphas).

    Computed with targets as rows (``p.T`` is contiguous when ``p`` is the transposed view :func:`_fold` makes).
    """
    w = 1.0 / (d.eigenvalues[None, :] + alphas[chosen][:, None])
    if d.intercept_dim is not None:
        w[:, d.intercept_dim] = 0.0
    w *= p.T
    return hb.matmul(w, d.new_q.T).T


def _column_chunks(n_targets: int, chunk: int) -> list[slice]:
    return [slice(start, start + chunk) for start in range(0, n_targets, chunk)]


def _targets(hb: Any, y: np.ndarray, rows: np.ndarray, columns: slice, dtype: str) -> Any:
    """Rows ``rows`` and ``columns`` of the targets on the backend, in the compute precision (a copy of them only)."""
    return hb.asarray(np.asarray(y[rows, columns], dtype=dtype))


def _projected(hb: Any, d: Decomposition, y: np.ndarray, rows: np.ndarray, columns: slice, dtype: str,
               outside: bool = False) -> tuple[Any, Any, Any]:
    """``Q^T Yc`` of the targets' training rows (as the transposed view :mod:`ridge_loo` wants), their mean, and
    (when asked, for a thin basis) ``Yc - Q Q^T Yc``."""
    y_train = _targets(hb, y, rows, columns, dtype)
    mean = hb.sum(y_train, 0) / len(rows)
    y_train -= mean  # our own copy, centred in place
    p = hb.matmul(y_train.T, d.q).T
    if not outside:
        return p, mean, None
    y_train -= hb.matmul(d.q, p)
    return p, mean, y_train


def best_alphas_grouped(hb: Any, x: Any, y: np.ndarray, rows: np.ndarray, alphas: Any, inner: list, dtype: str,
                        chunk: int) -> np.ndarray:
    """Index of the penalty with the smallest inner-fold mean squared error (summed over folds), per target.

    ``rows`` are the outer fold's training rows of ``x`` and ``y`` (all targets, as given); ``inner`` holds
    (train, validation) positions into ``rows``. One decomposition per inner fold serves every penalty and every
    chunk of targets (the inner folds are the outer loop: each is decomposed once, whatever the target count).
    """
    total = np.zeros((len(alphas), y.shape[1]))
    for train, valid in inner:
        d = decompose(hb, x, rows[train], rows[valid])
        weights = loo_weights(hb, d.eigenvalues, d.intercept_dim, alphas)
        # The validation predictions of several penalties in one product: new_q scaled by each penalty's weights,
        # stacked, as many penalties at a time as keep the stack within one eigenbasis (n_valid x n per penalty).
        group = max(1, len(train) // len(valid))
        stacks = [(k, hb.concatenate([d.new_q * weights[:, j] for j in range(k, min(k + group, len(alphas)))]))
                  for k in range(0, len(alphas), group)]
        for columns in _column_chunks(y.shape[1], chunk):
            p, mean, _ = _projected(hb, d, y, rows[train], columns, dtype)
            residual = _targets(hb, y, rows[valid], columns, dtype) - mean
            for k, stack in stacks:
                predictions = hb.matmul(stack, p).reshape(-1, len(valid), p.shape[1])
                predictions -= residual[None]
                predictions *= predictions
                total[k:k + predictions.shape[0], columns] += hb.to_numpy(hb.sum(predictions, 1)) / len(valid)
        del d, stacks
    return np.argmin(total, 0)


def _scores(hb: Any, y: Any, pred: Any) -> tuple[np.ndarray, np.ndarray]:
    """Held-out Pearson r and R^2 (the test rows' own mean as baseline) per target, as float64 NumPy."""
    yc = y - hb.sum(y, 0) / y.shape[0]
    pc = pred - hb.sum(pred, 0) / pred.shape[0]
    r = hb.sum(yc * pc, 0) / hb.sqrt(hb.sum(yc * yc, 0) * hb.sum(pc * pc, 0))
    r2 = 1.0 - hb.sum((y - pred) ** 2, 0) / hb.sum(yc * yc, 0)
    return hb.to_numpy(r).astype(np.float64), hb.to_numpy(r2).astype(np.float64)


def default_chunk(n_train: int, n_features: int | None = None) -> int:
    """Targets per chunk when none is given: a quarter of the basis (the training rows, or the features when they
    are fewer), or more where the work per chunk would be small.

    A chunk keeps about four ``n_train x chunk`` arrays alive (its centred targets, their projections, the search's
    and the prediction's products), so with a quarter of a square basis the chunks need about one eigenbasis beside
    the eigenbasis: less than the decomposition itself needed (the Gram matrix and LAPACK's ``2 n^2`` workspace).
    Measured on 1600 training rows: 30.4 MiB of arrays at peak with 400 targets per chunk (35.3 with 800, 59.5 with
    1600). A chunk also costs a fixed few milliseconds (ten penalties' small products and bookkeeping), so each
    chunk gets at least :data:`CHUNK_WORK` multiply-adds (``n_train x basis`` per target): where every array is
    small, chunks grow (640 rows: 655 targets; a quarter, 160, took 1.4-2.6x as long there).
    """
    basis = n_train if n_features is None else max(1, min(n_train, n_features))
    return max(basis // 4, -(-CHUNK_WORK // (max(1, n_train) * basis)))


def _fold(hb: Any, x: Any, y: np.ndarray, train: np.ndarray, test: np.ndarray, grid: Any, inner: list | None,
          dtype: str, chunk: int | None, out: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    """One outer fold: every target's r, R^2 and chosen penalty index, written into the rows of ``out``."""
    step = chunk or default_chunk(len(train), x.shape[1])
    # Grouped inner folds choose first, so that their decompositions never sit beside the outer one.
    chosen = None if inner is None else best_alphas_grouped(hb, x, y, train, grid, inner, dtype, step)
    d = decompose(hb, x, train, test)
    plan = None if inner is not None else loo_plan(hb, d.q, d.eigenvalues, d.intercept_dim, grid, d.null_leverage)
    thin = plan is not None and d.null_leverage is not None  # the search needs the targets' part outside the basis
    for columns in _column_chunks(y.shape[1], step):
        # Only this chunk of targets is on the backend (and in the compute precision) at a time.
        p, mean, outside = _projected(hb, d, y, train, columns, dtype, outside=thin)
        best = hb.asarray(_best_alphas_loo(hb, plan, p, outside) if chosen is None else chosen[columns])
        prediction = predict(hb, d, p, grid, best) + mean
        del p, outside
        out[0][columns], out[1][columns] = _scores(hb, _targets(hb, y, test, columns, dtype), prediction)
        out[2][columns] = hb.to_numpy(best)


def ridge_cv(x: np.ndarray, y: np.ndarray, splits: list, grid: np.ndarray, inner: list, backend: Backend, *,
             chunk: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
    chunk : int, optional
        Targets per chunk (default: :func:`default_chunk` of the training rows and features).

    Returns
    -------
    r, r2 : ndarray, shape (n_folds, t)
    chosen : ndarray, shape (n_folds, t)
        The penalties (values of ``grid``).
    """
    shape = (len(splits), y.shape[1])
    # Written in place fold by fold and chunk by chunk: the answer's own arrays, never a second copy of them.
    r, r2, chosen = np.empty(shape), np.empty(shape), np.empty(shape, dtype=np.min_scalar_type(len(grid) - 1))
    with himalaya_backend(backend.name) as hb:
        xb = hb.asarray(np.ascontiguousarray(x, dtype=backend.dtype))
        grid_b = hb.asarray(np.asarray(grid, dtype=backend.dtype))
        for fold, ((train, test), inner_splits) in enumerate(zip(splits, inner)):
            _fold(hb, xb, y, train, test, grid_b, inner_splits, backend.dtype, chunk, (r[fold], r2[fold], chosen[fold]))
    return r, r2, np.asarray(grid)[chosen]
