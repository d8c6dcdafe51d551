"""From condensed RDMs to centred second-moment matrices ``G = -1/2 H D H`` and their Frobenius vectors.

A dissimilarity ``d_ij = G_ii + G_jj - 2 G_ij`` only fixes ``G`` up to an additive form ``a_i + a_j``; centring picks
one representative. With weights ``w`` (``H_w = I - w 1^T / sum(w)``) the representative is ``H_w^T (-D/2) H_w``,
which satisfies ``G w = 0``; ``w = 1`` is ordinary double centring (classical multidimensional scaling).
"""

from __future__ import annotations

import math

import numpy as np

from neuroalign.core.condensed import n_stimuli_from_pairs, upper_indices

#: Square matrices are built in chunks of RDMs holding at most this many float64 numbers (~128 MB).
CHUNK_ELEMENTS = 16_000_000


def chunks(n_rdms: int, n: int) -> list[slice]:
    """Slices of RDM indices such that each chunk's ``(chunk, n, n)`` matrices stay under :data:`CHUNK_ELEMENTS`."""
    step = max(1, CHUNK_ELEMENTS // (n * n))
    return [slice(k, min(k + step, n_rdms)) for k in range(0, n_rdms, step)]


def weighted_row_sums(d: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``D @ w`` for every condensed RDM in ``d`` (zero diagonal), without building ``D``.

    Parameters
    ----------
    d : ndarray, shape (n_rdms, n_pairs)
    w : ndarray, shape (n,)

    Returns
    -------
    ndarray, shape (n_rdms, n)
    """
    n = w.size
    rows, cols = upper_indices(n)
    out = np.empty((d.shape[0], n))
    for k in range(d.shape[0]):  # bincount is a tight C loop; a sparse product is not faster here
        out[k] = np.bincount(rows, d[k] * w[cols], minlength=n) + np.bincount(cols, d[k] * w[rows], minlength=n)
    return out


def centred_second_moments(d: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    """``H_w^T (-D/2) H_w`` for every condensed RDM in ``d``.

    Parameters
    ----------
    d : ndarray, shape (n_rdms, n_pairs)
        Complete condensed RDMs (no NaN).
    w : ndarray, shape (n,), optional
        Centring weights; ``None`` means ``1`` (double centring: ``G = -1/2 H D H``).

    Returns
    -------
    ndarray, shape (n_rdms, n, n)
        Symmetric matrices ``G`` with ``G w = 0``.
    """
    n = n_stimuli_from_pairs(d.shape[1])
    w = np.ones(n) if w is None else np.asarray(w, dtype=np.float64)
    total = w.sum()
    rows, cols = upper_indices(n)
    dw = weighted_row_sums(d, w)  # (D w)_i
    a = -dw / (2.0 * total)  # (G w)_i / sum(w), with G = -D/2
    c = -(dw @ w) / (2.0 * total**2)  # w^T G w / sum(w)^2
    out = np.empty((d.shape[0], n, n))
    off = -d / 2.0 - a[:, rows] - a[:, cols] + c[:, None]
    out[:, rows, cols] = off
    out[:, cols, rows] = off
    diag = np.arange(n)
    out[:, diag, diag] = -2.0 * a + c[:, None]
    return out


def frobenius_vectors(g: np.ndarray) -> np.ndarray:
    """Vectors whose dot products are the Frobenius inner products ``tr(G_a G_b)`` of symmetric matrices.

    Parameters
    ----------
    g : ndarray, shape (n_rdms, n, n)
        Symmetric matrices.

    Returns
    -------
    ndarray, shape (n_rdms, n * (n + 1) / 2)
        ``sqrt(2)`` times the strict upper triangle (each off-diagonal entry occurs twice in ``G``), then the
        diagonal.
    """
    n = g.shape[-1]
    rows, cols = upper_indices(n)
    diag = np.arange(n)
    return np.concatenate([math.sqrt(2.0) * g[:, rows, cols], g[:, diag, diag]], axis=1)
