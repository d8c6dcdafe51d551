"""Shared linear algebra for the feature-space measures: centring, variance checks, bases, Gram factors.

Every helper returns new tensors; none modifies its input.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from neuroalign.metrics.base import MetricInputError


def require_variance(x: torch.Tensor, measure: str, side: str) -> None:
    """Raise :class:`MetricInputError` when every row of ``x`` is the same (zero variance after centring).

    The test is exact (rows equal to the first row), so it never depends on a tolerance; a representation that is
    constant only up to rounding goes through and gives whatever the data say.
    """
    if torch.equal(x, x[:1].expand_as(x)):
        raise MetricInputError(f"{measure}: {side} has zero variance (every stimulus has the same pattern); "
                               "the measure divides by its variance")


def centre(x: torch.Tensor) -> torch.Tensor:
    """Column-centred copy of ``x`` (each feature minus its mean over stimuli)."""
    return x - x.mean(dim=0, keepdim=True)


def gram_factor(xc: torch.Tensor) -> torch.Tensor:
    """An ``(n, min(n, d))`` matrix ``f`` with ``f @ f.T == xc @ xc.T``.

    When features outnumber stimuli this shrinks ``xc`` without changing anything a Gram-based quantity (Frobenius
    norms, nuclear norms of cross products) sees: ``xc = R^T Q^T`` from the QR factorisation of ``xc.T``.
    """
    n, d = xc.shape
    if d <= n:
        return xc
    return torch.linalg.qr(xc.T, mode="reduced").R.T


@dataclass(frozen=True)
class CentredSVD:
    """Thin SVD ``xc = u diag(s) vh`` of centred data, truncated to its numerical rank.

    Attributes
    ----------
    u : torch.Tensor
        ``(n, r)`` orthonormal basis of the centred column space (the span of the representation).
    s : torch.Tensor
        ``(r,)`` singular values above the rank tolerance, descending.
    total_variance : torch.Tensor
        Sum of *all* squared singular values, ``||xc||_F^2`` (the denominator of explained-variance fractions).
    """

    u: torch.Tensor
    s: torch.Tensor
    total_variance: torch.Tensor


def centred_svd(x: torch.Tensor, measure: str, side: str) -> CentredSVD:
    """Centre ``x`` and take its thin SVD, dropping directions below the rank tolerance.

    The tolerance is numpy's ``matrix_rank`` default, ``s_max * max(n, d) * eps``: centring always removes one
    direction, and with ``d >= n`` the null singular values are rounding noise that must not count as variance
    directions (they would make every canonical correlation look perfect or undefined).
    """
    require_variance(x, measure, side)
    xc = centre(x)
    u, s, _ = torch.linalg.svd(xc, full_matrices=False)
    tol = s[0] * max(xc.shape) * torch.finfo(xc.dtype).eps
    r = int((s > tol).sum())
    return CentredSVD(u=u[:, :r], s=s[:r], total_variance=(s * s).sum())


def nuclear_norm(a: torch.Tensor) -> torch.Tensor:
    """Sum of the singular values of ``a``."""
    return torch.linalg.svdvals(a).sum()
