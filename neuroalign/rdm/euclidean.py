"""Euclidean distances: ``sqeuclidean`` (the squared distance) and ``euclidean`` (its square root, as scipy).

Both are the identity-map members of the bilinear family (:mod:`neuroalign.rdm.bilinear`): ``K = X X^T`` of
column-centred patterns, ``d_ij^2 = K_ii + K_jj - 2 K_ij``.
"""

from __future__ import annotations

from neuroalign.rdm.bilinear import BilinearDistance


class Euclidean(BilinearDistance):
    """``sum_k (x_ik - x_jk)^2`` (``root=False``) or its square root (``root=True``)."""

    invariances = frozenset({"orthogonal", "translation", "permutation"})
    homogeneous = True

    def __init__(self, name: str, *, root: bool) -> None:
        super().__init__(name, root=root)
