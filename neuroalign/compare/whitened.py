"""Whitened RDM comparisons (Diedrichsen et al. 2021): cosine and Pearson after whitening the distance estimates.

Distance estimates from noisy patterns are correlated: under pattern noise with covariance ``Sigma`` across
conditions their covariance is ``V ~ (C Sigma C^T) o (C Sigma C^T)`` (``C`` the pairwise contrasts, ``o`` the
elementwise product). The whitened cosine is ``d_a^T V^-1 d_b / sqrt(d_a^T V^-1 d_a  d_b^T V^-1 d_b)``.

``V`` is ``n_pairs x n_pairs``, but the inner product ``d_a^T V^-1 d_b`` equals a Frobenius inner product of
second-moment matrices, so nothing of that size is built or inverted:

* ``d^T V^-1 d`` is the smallest ``tr(Sigma^-1 G Sigma^-1 G)`` over all ``G`` that reproduce ``d``
  (``d_ij = G_ii + G_jj - 2 G_ij``); the minimiser is ``G = H_w^T (-D/2) H_w`` with ``w = Sigma^-1 1`` (for
  ``Sigma = I``: plain double centring, the linear-CKA form used by rsatoolbox), and the whitened vector is
  ``L^-1 G L^-T`` with ``Sigma = L L^T``.
* With missing pairs (diagonal ``Sigma`` only) the free entries of ``G`` are the diagonal ``g`` and the missing
  off-diagonals (which the minimum sets to 0): a weighted least-squares problem in ``n`` unknowns. This equals
  ``d_obs^T V_obs^-1 d_obs`` exactly, and for ``Sigma = I`` it is what rsatoolbox computes for shared NaNs.

The Pearson variant subtracts each RDM's mean dissimilarity first (rsatoolbox's ``corr_cov``).
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np

from neuroalign.backend import get_backend
from neuroalign.compare.backend import cross_products
from neuroalign.errors import DegenerateRDMError, InvalidSigmaError, MissingPairsError
from neuroalign.compare.inputs import Stack, as_stacks
from neuroalign.compare.nan import apply_policy
from neuroalign.compare.second_moment import chunks, frobenius_vectors
from neuroalign.core.centring import double_centre
from neuroalign.core.condensed import n_stimuli_from_pairs, upper_indices


# --- the pattern covariance ----------------------------------------------------------------------------------------
class _Sigma:
    """A validated ``sigma_k``: either diagonal (precisions ``p``) or full (``L^-1`` and centring weights ``w``)."""

    def __init__(self, sigma_k: Any, n: int) -> None:
        self.precisions: np.ndarray | None = None
        self.inv_chol: np.ndarray | None = None
        self.weights: np.ndarray | None = None
        if sigma_k is None:
            self.precisions = np.ones(n)
            return
        sigma = np.asarray(sigma_k, dtype=np.float64)
        if sigma.shape not in ((n,), (n, n)):
            raise InvalidSigmaError(f"sigma_k must have shape ({n},) or ({n}, {n}) for RDMs of {n} conditions; "
                                    f"got {sigma.shape}")
        if not np.isfinite(sigma).all():
            raise InvalidSigmaError("sigma_k contains NaN or Inf")
        if sigma.ndim == 2 and not np.allclose(sigma, sigma.T, rtol=1e-10, atol=0):
            raise InvalidSigmaError("sigma_k must be symmetric")
        if sigma.ndim == 2 and not np.any(sigma - np.diag(np.diag(sigma))):
            sigma = np.diag(sigma)  # diagonal: the cheaper path, which also handles missing pairs
        if sigma.ndim == 1:
            if not (sigma > 0).all():
                raise InvalidSigmaError("a diagonal sigma_k must be positive")
            self.precisions = 1.0 / sigma
            return
        try:
            chol = np.linalg.cholesky(sigma)
        except np.linalg.LinAlgError:
            raise InvalidSigmaError("sigma_k must be positive definite (its Cholesky factorisation failed)") from None
        self.inv_chol = np.linalg.inv(chol)
        self.weights = np.linalg.solve(sigma, np.ones(n))


# --- whitened vectors ----------------------------------------------------------------------------------------------
class _DiagonalWhitener:
    """Whitened Frobenius vectors for RDMs sharing one set of present pairs, under a diagonal ``Sigma``.

    Solves ``min_g  sum_i p_i^2 g_i^2 + 2 sum_{(i,j) present} p_i p_j ((g_i + g_j - d_ij) / 2)^2`` (the weighted
    Frobenius norm of ``G``, missing off-diagonals at their optimum 0). The normal equations share one ``n x n``
    matrix for every RDM with this mask, so it is factorised once.
    """

    def __init__(self, n: int, present: np.ndarray, precisions: np.ndarray) -> None:
        from scipy.linalg import cho_factor

        rows, cols = upper_indices(n)
        self.present = present
        self.rows, self.cols = rows[present], cols[present]
        self.pair_weights = precisions[self.rows] * precisions[self.cols]
        self.precisions = precisions
        system = np.diag(precisions**2)
        degree = np.bincount(self.rows, self.pair_weights, n) + np.bincount(self.cols, self.pair_weights, n)
        system[np.diag_indices(n)] += 0.5 * degree
        system[self.rows, self.cols] += 0.5 * self.pair_weights
        system[self.cols, self.rows] += 0.5 * self.pair_weights
        self.factor = cho_factor(system)
        self.n = n

    def __call__(self, d: np.ndarray) -> np.ndarray:
        from scipy.linalg import cho_solve

        dv = d[:, self.present]
        weighted = dv * self.pair_weights
        rhs = np.empty((d.shape[0], self.n))
        for k in range(d.shape[0]):
            rhs[k] = 0.5 * (np.bincount(self.rows, weighted[k], self.n) + np.bincount(self.cols, weighted[k], self.n))
        g = cho_solve(self.factor, rhs.T).T
        off = np.sqrt(self.pair_weights) * (g[:, self.rows] + g[:, self.cols] - dv) / 2.0
        return np.concatenate([math.sqrt(2.0) * off, self.precisions * g], axis=1)


def _full_vectors(d: np.ndarray, sigma: _Sigma) -> np.ndarray:
    n = sigma.inv_chol.shape[0]
    parts = []
    for rows in chunks(d.shape[0], n):
        g = double_centre(d[rows], sigma.weights)
        parts.append(frobenius_vectors(sigma.inv_chol @ g @ sigma.inv_chol.T))
    return np.concatenate(parts)


def _unit(vectors: np.ndarray, s: Stack) -> np.ndarray:
    norms = np.sqrt(np.einsum("ij,ij->i", vectors, vectors))
    zero = ~(norms > 0)
    if zero.any():
        k = int(np.flatnonzero(zero)[0])
        raise DegenerateRDMError(f"{s.labels[k]} is zero after whitening (an all-zero RDM, or a constant one under "
                                 "whitened_pearson); the whitened comparison is undefined for it")
    return vectors / norms[:, None]


def _centred(s: Stack, present: np.ndarray | None) -> Stack:
    keep = slice(None) if present is None else present
    return Stack(s.values - s.values[:, keep].mean(axis=1, keepdims=True), s.labels)


def _vectors(x: Stack, present: np.ndarray | None, *, sigma_k: Any, centre: bool, method: str) -> np.ndarray:
    """Whitened Frobenius vectors of ``x``'s RDMs on the ``present`` pairs (mean-centred first with ``centre``)."""
    n = n_stimuli_from_pairs(x.n_pairs)
    sigma = _Sigma(sigma_k, n)
    if centre:
        x = _centred(x, present)
    if sigma.precisions is not None:
        whiten = _DiagonalWhitener(n, np.ones(x.n_pairs, bool) if present is None else present, sigma.precisions)
    elif present is not None:
        raise MissingPairsError(f"{method} with a non-diagonal sigma_k needs complete RDMs; fill the missing pairs, "
                                "or pass a diagonal sigma_k (1-D)")
    else:
        whiten = partial(_full_vectors, sigma=sigma)
    return whiten(x.values)


def _whitened(x: Stack, y: Stack | None, present: np.ndarray | None, *, sigma_k: Any, centre: bool,
              device: Any, method: str) -> np.ndarray:
    """``shared`` for :func:`apply_policy`."""
    options = {"sigma_k": sigma_k, "centre": centre, "method": method}
    za = _unit(_vectors(x, present, **options), x)
    zb = None if y is None else _unit(_vectors(y, present, **options), y)
    return np.clip(cross_products(za, zb, device=device), -1.0, 1.0)


def _norms(x: Stack, y: None, present: np.ndarray | None, **options: Any) -> np.ndarray:
    """``shared`` for :func:`apply_policy` in :func:`whitened_norms`."""
    vectors = _vectors(x, present, **options)
    return np.sqrt(np.einsum("ij,ij->i", vectors, vectors))


# --- public functions ----------------------------------------------------------------------------------------------
_DOC = """
    Parameters
    ----------
    a : RDMs or array_like, shape (n_pairs,) or (n_a, n_pairs)
        Condensed RDMs (``n_pairs = n (n - 1) / 2``).
    b : RDMs or array_like, shape (n_pairs,) or (n_b, n_pairs), optional
        Condensed RDMs (``RDMs`` are reordered to ``a``'s stimulus ids). ``None`` compares ``a`` with itself.
    sigma_k : array_like, shape (n,) or (n, n), optional
        Covariance of the pattern estimates across conditions (in ``a``'s stimulus order); ``None`` means iid
        noise. A 1-D array is a diagonal covariance. Its scale does not matter.
    nan_policy : {"raise", "pairwise"}
        Missing (NaN) pairs: see :mod:`neuroalign.compare.nan`. Missing pairs are handled exactly (the whitening
        uses the covariance of the present distances only); they need a diagonal ``sigma_k``.
    device : None, "auto", str or torch.device
        Where the final products run (``None``: the CPU default path; see ``docs/conventions.md``, "Devices").

    Returns
    -------
    ndarray, shape (n_a, n_b), float64, in [-1, 1]

    Raises
    ------
    DegenerateRDMError
        If an RDM is zero after whitening (all zeros; for the Pearson variant also constant).
    InvalidSigmaError
        If ``sigma_k`` has the wrong shape or is not symmetric positive definite.
"""


def whitened_cosine(a: Any, b: Any = None, *, sigma_k: Any = None, nan_policy: str = "raise",
                    device: Any = None) -> np.ndarray:
    """Whitened cosine similarity ``d_a^T V^-1 d_b / sqrt(...)`` (rsatoolbox's ``cosine_cov``).
    {doc}"""
    x, y = as_stacks(a, b, require_condensed=True)
    shared = partial(_whitened, sigma_k=sigma_k, centre=False, device=get_backend(device),
                     method="whitened_cosine")
    return apply_policy(x, y, nan_policy, method="whitened_cosine", shared=shared)


def whitened_pearson(a: Any, b: Any = None, *, sigma_k: Any = None, nan_policy: str = "raise",
                     device: Any = None) -> np.ndarray:
    """Whitened Pearson correlation: the whitened cosine of mean-centred RDMs (rsatoolbox's ``corr_cov``).
    {doc}"""
    x, y = as_stacks(a, b, require_condensed=True)
    shared = partial(_whitened, sigma_k=sigma_k, centre=True, device=get_backend(device),
                     method="whitened_pearson")
    return apply_policy(x, y, nan_policy, method="whitened_pearson", shared=shared)


def whitened_norms(values: Any, *, sigma_k: Any = None, centre: bool = False) -> np.ndarray:
    """Whitened norms ``sqrt(d^T V^-1 d)`` of condensed RDMs: the scale each whitened comparison divides out.

    RDMs divided by their norm (mean-centred first for ``whitened_pearson``, ``centre=True``) are unit vectors
    of the whitened space, so their mean is the RDM with the highest mean whitened score against them (a noise
    ceiling pools this way). Pairs missing in every RDM are left out, as the comparators do.

    Parameters
    ----------
    values : array_like, shape (n_rdms, n_pairs)
    sigma_k : array_like, shape (n,) or (n, n), optional
        As for :func:`whitened_cosine`.
    centre : bool
        Subtract each RDM's mean dissimilarity first.

    Returns
    -------
    ndarray, shape (n_rdms,)

    Raises
    ------
    MissingPairsError
        If the RDMs miss different pairs.
    """
    x, _ = as_stacks(values, require_condensed=True)
    method = "whitened_pearson" if centre else "whitened_cosine"
    shared = partial(_norms, sigma_k=sigma_k, centre=centre, method=method)
    return apply_policy(x, None, "raise", method=method, shared=shared)


for _f in (whitened_cosine, whitened_pearson):
    _f.__doc__ = _f.__doc__.replace("{doc}", _DOC)  # type: ignore[union-attr]
