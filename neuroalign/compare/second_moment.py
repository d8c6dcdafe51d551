"""Second-moment matrices ``G = -1/2 H D H`` (:func:`neuroalign.core.centring.double_centre`) in chunks, and their
Frobenius vectors."""

from __future__ import annotations

import math

import numpy as np

from neuroalign.core.condensed import upper_indices

#: Square matrices are built in chunks of RDMs holding at most this many float64 numbers (~128 MB).
CHUNK_ELEMENTS = 16_000_000


def chunks(n_rdms: int, n: int) -> list[slice]:
    """Slices of RDM indices such that each chunk's ``(chunk, n, n)`` matrices stay under :data:`CHUNK_ELEMENTS`."""
    step = max(1, CHUNK_ELEMENTS // (n * n))
    return [slice(k, min(k + step, n_rdms)) for k in range(0, n_rdms, step)]


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
