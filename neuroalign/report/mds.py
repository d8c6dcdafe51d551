"""Multidimensional scaling of a dissimilarity matrix in numpy: classical (Torgerson) and metric (SMACOF)."""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroalign.core.centring import double_centre
from neuroalign.core.condensed import square_to_condensed
from neuroalign.errors.applications import PlotInputError


def _square(dissimilarities: Any) -> np.ndarray:
    d = np.asarray(dissimilarities, dtype=np.float64)
    if d.ndim != 2 or d.shape[0] != d.shape[1]:
        raise PlotInputError(f"MDS needs a square (n, n) dissimilarity matrix; got shape {d.shape}")
    if not np.isfinite(d).all():
        raise PlotInputError("MDS needs every dissimilarity; the matrix has NaN or Inf entries")
    return d


def _fixed_signs(x: np.ndarray) -> np.ndarray:
    # An eigenvector's sign is arbitrary; make each axis's largest coordinate positive so results are reproducible.
    rows = np.abs(x).argmax(axis=0)
    signs = np.sign(x[rows, np.arange(x.shape[1])])
    return x * np.where(signs == 0, 1.0, signs)


def classical_mds(dissimilarities: Any, n_components: int = 2, *, squared: bool = False) -> np.ndarray:
    """Classical (Torgerson) MDS: coordinates whose Euclidean distances approximate the dissimilarities.

    The squared dissimilarities are double-centred (:func:`neuroalign.core.centring.double_centre`) into a Gram
    matrix whose leading eigenvectors, scaled by the square roots of their eigenvalues, are the coordinates. When
    the dissimilarities are Euclidean distances of points in at most ``n_components`` dimensions, the embedding
    reproduces them exactly.

    Parameters
    ----------
    dissimilarities : array_like, shape (n, n)
        Symmetric dissimilarities with a zero diagonal (no NaN).
    n_components : int
        Dimensions of the embedding.
    squared : bool
        The dissimilarities are squared Euclidean distances already (a correlation, squared Euclidean or crossnobis
        RDM): they are double-centred as they are, and the coordinates' distances approximate their square roots.

    Returns
    -------
    ndarray, shape (n, n_components)
        Coordinates, centred; an axis with a non-positive eigenvalue is all zeros.

    Raises
    ------
    PlotInputError
        For a matrix that is not square or has missing values.
    """
    d = _square(dissimilarities)
    d = (d + d.T) / 2
    n = d.shape[0]
    gram = double_centre(square_to_condensed(d if squared else d ** 2)[None])[0]
    eigenvalues, eigenvectors = np.linalg.eigh(gram)
    top = np.argsort(eigenvalues)[::-1][:n_components]
    scale = np.sqrt(np.clip(eigenvalues[top], 0.0, None))
    coords = np.zeros((n, n_components))
    coords[:, : len(top)] = eigenvectors[:, top] * scale
    return _fixed_signs(coords)


def _distances(x: np.ndarray) -> np.ndarray:
    diff = x[:, None, :] - x[None, :, :]
    return np.sqrt((diff ** 2).sum(-1))


def stress(dissimilarities: Any, coords: Any) -> float:
    """Raw stress: the sum over pairs of squared differences between dissimilarities and embedding distances."""
    d = _square(dissimilarities)
    return float(((d - _distances(np.asarray(coords, dtype=np.float64))) ** 2)[np.triu_indices(len(d), 1)].sum())


def metric_mds(dissimilarities: Any, n_components: int = 2, *, max_iter: int = 300, tol: float = 1e-9) -> np.ndarray:
    """Metric MDS by SMACOF (Guttman transforms), started from the classical solution.

    SMACOF never increases the stress, so the result's stress is at most that of :func:`classical_mds`; the
    start makes the result deterministic.

    Parameters
    ----------
    dissimilarities : array_like, shape (n, n)
    n_components : int
    max_iter : int
        Most Guttman transforms.
    tol : float
        Stop when the stress falls by less than this fraction of itself.

    Returns
    -------
    ndarray, shape (n, n_components)
    """
    d = _square(dissimilarities)
    d = (d + d.T) / 2
    n = d.shape[0]
    x = classical_mds(d, n_components)
    previous = stress(d, x)
    for _ in range(max_iter):
        dist = _distances(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(dist > 0, d / dist, 0.0)
        b = -ratio
        np.fill_diagonal(b, 0.0)
        np.fill_diagonal(b, -b.sum(axis=1))
        x = b @ x / n
        current = stress(d, x)
        if previous - current <= tol * max(previous, np.finfo(float).tiny):
            break
        previous = current
    return _fixed_signs(x - x.mean(axis=0))
