"""Conversions between square dissimilarity matrices and condensed vectors (scipy's ``squareform`` order).

The condensed vector of an ``n x n`` matrix holds its strict upper triangle row by row: ``(0,1), (0,2), ...,
(0,n-1), (1,2), ...`` -- exactly the order of :func:`scipy.spatial.distance.squareform`.
"""

from __future__ import annotations

import math

import numpy as np

from neuroalign.errors import InvalidRDMError


def n_stimuli_from_pairs(n_pairs: int) -> int:
    """Number of stimuli ``n`` with ``n * (n - 1) / 2 == n_pairs``; raise if there is none."""
    n = int(round((1 + math.sqrt(1 + 8 * n_pairs)) / 2))
    if n * (n - 1) // 2 != n_pairs or n < 2:
        raise InvalidRDMError(f"a condensed RDM cannot have {n_pairs} entries: n*(n-1)/2 has no integer solution n >= 2")
    return n


def upper_indices(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the strict upper triangle in condensed order."""
    return np.triu_indices(n, k=1)


def square_to_condensed(matrices: np.ndarray) -> np.ndarray:
    """``(..., n, n)`` matrices -> ``(..., n*(n-1)/2)`` condensed vectors (no checks)."""
    rows, cols = upper_indices(matrices.shape[-1])
    return matrices[..., rows, cols]


def condensed_to_square(vectors: np.ndarray, *, diagonal: float = 0.0) -> np.ndarray:
    """``(..., n_pairs)`` condensed vectors -> symmetric ``(..., n, n)`` matrices with the given diagonal."""
    n = n_stimuli_from_pairs(vectors.shape[-1])
    out = np.full((*vectors.shape[:-1], n, n), diagonal, dtype=np.result_type(vectors.dtype, np.float64))
    rows, cols = upper_indices(n)
    out[..., rows, cols] = vectors
    out[..., cols, rows] = vectors
    return out
