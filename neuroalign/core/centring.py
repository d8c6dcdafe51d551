"""Double centring of RDMs: ``G = -1/2 H D H``, the centred second-moment (Gram) matrix behind a dissimilarity.

A dissimilarity ``d_ij = G_ii + G_jj - 2 G_ij`` only fixes ``G`` up to an additive form ``a_i + a_j``; centring picks
one representative. With weights ``w`` (``H_w = I - w 1^T / sum(w)``) the representative is ``H_w^T (-D/2) H_w``,
which satisfies ``G w = 0``; ``w = 1`` is ordinary double centring (classical multidimensional scaling, Torgerson
1952). When ``D`` holds squared Euclidean distances between patterns, ``G`` is the Gram matrix of the centred
patterns. This is the one implementation; the Bures and whitened comparators, the RDM embedding of
:mod:`neuroalign.alignment` and classical MDS in :mod:`neuroalign.report` all use it (whether an RDM must be squared
first is its distance's business: :func:`neuroalign.rdm.geometry.squared_distances`).
"""

from __future__ import annotations

import numpy as np

from neuroalign.core.condensed import n_stimuli_from_pairs, upper_indices


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


def double_centre(d: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    """``H_w^T (-D/2) H_w`` for every condensed RDM in ``d``, in ``O(n^2)`` per RDM (no product with ``H``).

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

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.spatial.distance import pdist
    >>> x = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    >>> g = double_centre(pdist(x, "sqeuclidean")[None])[0]
    >>> xc = x - x.mean(axis=0)
    >>> bool(np.allclose(g, xc @ xc.T))
    True
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
