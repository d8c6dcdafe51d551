"""A brain region's RDM as features: the Gram matrix that double-centring the RDM gives, and its square root.

Brain data here are often RDMs only (no patterns). RDM-based metrics (RSA) use the RDM itself; feature-based
metrics (CKA) need features, and linear CKA needs no more than their centred Gram matrix. For squared-Euclidean
dissimilarities ``D``, ``G = -1/2 H D H`` (``H`` the centring matrix) *is* the centred Gram matrix of the patterns
(classical MDS, Torgerson 1952). The correlation distance is one of them: with each pattern z-scored across
channels and scaled to unit norm (``u_i``), ``1 - r_ij = ||u_i - u_j||^2 / 2``; so the double-centred correlation
RDM is, up to a factor CKA ignores, the centred linear Gram of the standardised patterns, and linear CKA of the
embedding equals linear CKA of those patterns. The same holds for cosine and squared Euclidean / Mahalanobis RDMs;
Euclidean and Mahalanobis RDMs are squared first. Which RDMs are squared distances, plain ones, or neither is their
distance's registry entry's business (:attr:`neuroalign.rdm.distance.Distance.squared`, read in
:mod:`neuroalign.rdm.geometry`); an RDM without a distance name is taken as squared distances. An average of such
RDMs (over sessions or subjects) averages the Grams, which stays positive semi-definite.

The features are ``V sqrt(L)`` over the positive eigenvalues ``L`` of ``G``, so that ``X X^T = G`` exactly when
``G`` is positive semi-definite; negative eigenvalues (an RDM that is not Euclidean-embeddable, e.g. after rank
transforms) are dropped and their share of the spectrum is reported. Cosine neighbours of these rows are not the
neighbours of the original patterns: neighbourhood metrics take the RDM's own neighbours instead (see
:mod:`neuroalign.alignment.routes`), and any other feature metric on an embedding is an approximation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuroalign.core.centring import double_centre
from neuroalign.core.condensed import square_to_condensed
from neuroalign.errors import InvalidRDMError
from neuroalign.rdm.geometry import squared_distances
from neuroalign.utils.renamed import renamed_keywords


@dataclass(frozen=True)
class Embedding:
    """Features ``(n, r)`` with ``features @ features.T`` the positive part of the double-centred RDM."""

    features: np.ndarray
    gram: np.ndarray
    negative_share: float  # sum |negative eigenvalues| / sum |eigenvalues|


@renamed_keywords(measure="distance")
def double_centred_gram(rdm: np.ndarray, distance: str | None = None) -> np.ndarray:
    """``-1/2 H D H`` of a square RDM (``D`` squared first where its distance's entry says it holds plain distances).

    Parameters
    ----------
    rdm : ndarray, shape (n, n)
        Symmetric, zero diagonal, complete.
    distance : str, optional
        The RDM's distance name (``RDMs.distance``); ``None`` is taken as squared distances. ``measure=`` is its
        deprecated spelling.

    Raises
    ------
    InvalidRDMError
        For a matrix that is not square, not symmetric, has a non-zero diagonal or missing values, or a distance
        that is not a (squared) distance between patterns.
    """
    d = np.asarray(rdm, dtype=np.float64)
    if d.ndim != 2 or d.shape[0] != d.shape[1]:
        raise InvalidRDMError(f"an RDM embedding needs a square matrix; got shape {d.shape}")
    if not np.isfinite(d).all():
        raise InvalidRDMError("an RDM embedding needs every dissimilarity; the RDM has NaN or Inf entries")
    if not np.allclose(d, d.T) or np.abs(np.diag(d)).max(initial=0.0) > 0:
        raise InvalidRDMError("an RDM embedding needs a symmetric matrix with a zero diagonal")
    return double_centre(squared_distances(square_to_condensed(d), distance, unnamed=True)[None])[0]


@renamed_keywords(measure="distance")
def embed_rdm(rdm: np.ndarray, distance: str | None = None) -> Embedding:
    """Classical-MDS features of a square RDM, all positive dimensions kept (see the module docstring).

    ``distance`` is the RDM's distance name, as for :func:`double_centred_gram` (``measure=`` is its deprecated
    spelling).
    """
    gram = double_centred_gram(rdm, distance)
    values, vectors = np.linalg.eigh(gram)
    scale = np.abs(values).max(initial=0.0)
    keep = values > 1e-12 * max(scale, np.finfo(float).tiny)
    if not keep.any():
        raise InvalidRDMError("the RDM's double-centred Gram has no positive eigenvalue (all dissimilarities equal?)")
    total = np.abs(values).sum()
    negative = float(np.abs(values[values < 0]).sum() / total) if total > 0 else 0.0
    features = vectors[:, keep][:, ::-1] * np.sqrt(values[keep][::-1])
    return Embedding(features=features, gram=gram, negative_share=negative)
