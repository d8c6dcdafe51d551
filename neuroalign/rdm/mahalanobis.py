"""Mahalanobis distances with a noise precision ``P``: ``(x_i - x_j)^T P (x_i - x_j)`` and its square root.

The crossnobis estimator (:mod:`neuroalign.rdm.crossnobis`) is the cross-validated version of the squared one.
Without a precision, ``P`` is the identity (like rsatoolbox), which is never built as a matrix.
"""

from __future__ import annotations

import torch

from neuroalign.rdm.backend import Backend
from neuroalign.rdm.bilinear import BilinearDistance
from neuroalign.rdm.precision import Precision


class Mahalanobis(BilinearDistance):
    """``(x_i - x_j)^T P (x_i - x_j)`` with ``A = X P`` and ``B = X`` in the bilinear family.

    Parameters
    ----------
    name : str
        Registered name.
    root : bool
        Square root of the sum (scipy's ``mahalanobis``); not allowed when cross-validated.
    cross_validated : bool
        Average ``(x_i^r - x_j^r)^T P (x_i^s - x_j^s)`` over ordered pairs of distinct runs (crossnobis).
    """

    uses_noise = True

    #: Without a noise precision (as RSA on features uses it) it is the Euclidean distance.
    invariances = frozenset({"orthogonal", "translation", "permutation"})
    homogeneous = True

    def __init__(self, name: str, *, root: bool = False, cross_validated: bool = False) -> None:
        super().__init__(name, root=root, cross_validated=cross_validated)

    def maps(self, block: torch.Tensor, precision: Precision, span: tuple[int, int], backend: Backend
             ) -> tuple[torch.Tensor, torch.Tensor]:
        # Without a precision, apply() returns the very same tensor, which lets the Gram use a symmetric update.
        return precision.apply(block, span, backend), block
