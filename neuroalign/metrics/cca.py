"""Canonical correlation analysis family: mean CCA, mean squared CCA, SVCCA, PWCCA and ridge-regularised CCA.

Registered ids: ``cca.mean``, ``cca.mean_sq``, ``cca.svcca.<fraction or count>``, ``cca.pwcca``,
``cca.ridge.<lambda>``. Canonical correlations are the singular values of ``Ux^T Uy``, where ``Ux``, ``Uy`` are
orthonormal bases (thin SVD, numerical rank) of the centred representations; no covariance is ever inverted.
"""

from __future__ import annotations

import math
from functools import partial

import torch

from neuroalign.metrics._family import FunctionMetric, fixed_factory, parse_float
from neuroalign.metrics._linalg import CentredSVD, centred_svd
from neuroalign.metrics.base import MetricInfo, MetricInputError

__all__ = ["canonical_correlations", "mean_cca", "pwcca", "ridge_cca", "svcca", "svcca_components"]

_AFFINE_FREE = frozenset({"orthogonal", "permutation", "translation", "isotropic_scaling"})


def _correlations(ux: torch.Tensor, uy: torch.Tensor) -> torch.Tensor:
    # Singular values of a product of orthonormal bases are cosines of principal angles; clip rounding above 1.
    return torch.linalg.svdvals(ux.T @ uy).clamp(0.0, 1.0)


def canonical_correlations(x: torch.Tensor, y: torch.Tensor, *, measure: str = "cca") -> torch.Tensor:
    """Canonical correlations of two ``(n, d)`` representations, descending, ``min(rank x, rank y)`` of them.

    Features are centred; ranks are numerical (see :func:`neuroalign.metrics._linalg.centred_svd`). A correlation
    is 1 for every dimension the centred column spaces share, and they share at least
    ``rank x + rank y - (n - 1)`` (both live in the ``n - 1``-dimensional centred sample space); with
    ``d >= n - 1`` on both sides every correlation is 1. Use ``cca.ridge.<lambda>`` or SVCCA there.
    """
    return _correlations(centred_svd(x, measure, "x").u, centred_svd(y, measure, "y").u)


def mean_cca(x: torch.Tensor, y: torch.Tensor, *, squared: bool = False, measure: str = "cca.mean") -> torch.Tensor:
    """Mean canonical correlation, or the mean of the squared correlations (``squared=True``, Yanai's R^2)."""
    rho = canonical_correlations(x, y, measure=measure)
    return (rho * rho).mean() if squared else rho.mean()


def svcca_components(svd: CentredSVD, keep: float | int, measure: str, side: str) -> int:
    """How many leading components SVCCA keeps: a fixed count, or the fewest reaching a variance fraction.

    The fraction is cumulative variance divided by the *total* variance ``||xc||_F^2`` (all components), never by
    the variance of the kept ones, which would always reach the threshold at the first component.

    Components with equal singular values (balanced category indicators, whitened data) span one subspace in which
    the SVD picks an arbitrary basis, so a cut through them would keep an arbitrary part of it: a fraction keeps
    the whole tied group, and a count that splits one raises :class:`MetricInputError`.
    """
    rank = svd.s.shape[0]
    if isinstance(keep, int):
        if keep > rank:
            raise MetricInputError(f"{measure}: keeps {keep} components but {side} has only {rank} "
                                   "(numerical rank after centring)")
        if keep < rank and _tied(svd.s, keep):
            first, last = _tie_group(svd.s, keep)
            options = " or ".join(str(c) for c in (first, last) if c > 0)
            raise MetricInputError(
                f"{measure}: {side}'s singular values {first + 1} to {last} are equal, so keeping {keep} components "
                f"would keep an arbitrary part of the subspace they span; keep {options} components")
        return keep
    explained = torch.cumsum(svd.s * svd.s, dim=0) / svd.total_variance
    count = min(int((explained < keep).sum()) + 1, rank)
    return _tie_group(svd.s, count)[1] if count < rank and _tied(svd.s, count) else count


#: Singular values within this fraction of the largest are equal (rounding leaves ~1e-15).
_EQUAL_SINGULAR = 1e-10


def _tied(s: torch.Tensor, count: int) -> bool:
    """Whether keeping the first ``count`` singular values splits a group of equal ones."""
    return float(s[count - 1] - s[count]) <= _EQUAL_SINGULAR * float(s[0])


def _tie_group(s: torch.Tensor, count: int) -> tuple[int, int]:
    """``(first, last)``: the group of equal singular values around the cut is ``s[first:last]``."""
    tol = _EQUAL_SINGULAR * float(s[0])
    first, last = count - 1, count
    while first > 0 and float(s[first - 1] - s[first]) <= tol:
        first -= 1
    while last < s.shape[0] and float(s[last - 1] - s[last]) <= tol:
        last += 1
    return first, last


def svcca(x: torch.Tensor, y: torch.Tensor, *, keep: float | int = 0.99, squared: bool = False,
          measure: str = "cca.svcca") -> torch.Tensor:
    """SVCCA (Raghu et al. 2017): reduce each centred side by SVD, then the mean canonical correlation.

    ``keep`` is a variance fraction in ``(0, 1]`` (float) or a number of components (int). ``squared`` gives the
    mean of ``rho^2`` (the share of variance the kept subspaces explain in each other, the summary some papers
    report as SVCCA) instead of the mean ``rho``.
    """
    sx, sy = centred_svd(x, measure, "x"), centred_svd(y, measure, "y")
    kx, ky = svcca_components(sx, keep, measure, "x"), svcca_components(sy, keep, measure, "y")
    rho = _correlations(sx.u[:, :kx], sy.u[:, :ky])
    return (rho * rho).mean() if squared else rho.mean()


def pwcca(x: torch.Tensor, y: torch.Tensor, *, measure: str = "cca.pwcca") -> torch.Tensor:
    """Projection-weighted CCA (Morcos et al. 2018), weights from ``x``.

    ``rho_pw = sum_i a_i rho_i`` with ``a_i`` proportional to ``sum_j |<h_i, x_j>|``: ``h_i`` is the ``i``-th
    canonical variate of ``x`` (unit norm, in stimulus space) and ``x_j`` the ``j``-th centred feature of
    ``x``. The weights say how much of ``x``'s own units each canonical direction accounts for, so they come from
    the representation being explained, here the first argument; the measure is therefore not symmetric.

    Where canonical correlations tie (several equal 1 whenever the centred column spaces of ``x`` and ``y``
    intersect, which ``rank x + rank y > n - 1`` guarantees), the variates of the tied block are any orthonormal
    basis of one subspace, and the formula's weights depend on that arbitrary choice. The block then weighs what
    the formula gives on average over all its bases (see :func:`_block_weights`); untied correlations keep the
    formula's weights exactly.
    """
    sx, sy = centred_svd(x, measure, "x"), centred_svd(y, measure, "y")
    a, rho, _ = torch.linalg.svd(sx.u.T @ sy.u, full_matrices=True)
    k = min(sx.u.shape[1], sy.u.shape[1])
    rho = rho[:k].clamp(0.0, 1.0)
    # Coordinates of every centred feature of x in the canonical basis of x's span: <h_i, x_j> for all i.
    coordinates = a.T @ (sx.u.T @ (x - x.mean(dim=0)))
    values, weights = _block_weights(rho, coordinates)
    return (weights / weights.sum()) @ values


#: Canonical correlations closer than this are tied: rounding in the bases moves them by ~1e-15, and a gap this small
#: already makes the formula's basis, hence its weights, unstable (a perturbation of e turns it by ~e / gap).
_TIE = 1e-10


def _block_weights(rho: torch.Tensor, coordinates: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Correlations and PWCCA weights of each block of tied canonical correlations (descending ``rho``).

    For a block of ``b`` tied correlations whose variates may be any orthonormal ``b``-frame of a ``D``-dimensional
    subspace ``S`` (``D = b``, except for a block at 0 when ``x`` has more dimensions than there are correlations:
    then ``S`` also holds ``x``'s directions without a partner), the weight is the expectation of
    ``sum_i sum_j |<h_i, x_j>|`` over a uniformly random such frame: ``b c_D sum_j ||P_S x_j||`` with
    ``c_D = E|u_1| = Gamma(D/2) / (sqrt(pi) Gamma((D + 1)/2))`` for ``u`` uniform on the unit sphere of ``R^D``.
    For ``b = D = 1`` this is ``sum_j |<h_i, x_j>|``, the formula itself.

    Parameters
    ----------
    rho : torch.Tensor, shape (k,)
    coordinates : torch.Tensor, shape (rank_x, d_x)
        ``<h_i, x_j>`` for every direction ``h_i`` of ``x``'s canonical basis (the first ``k`` paired with ``rho``).
    """
    k, rank_x = rho.shape[0], coordinates.shape[0]
    starts = [0] + [i + 1 for i in range(k - 1) if float(rho[i] - rho[i + 1]) > _TIE]
    values, weights = [], []
    for start, stop in zip(starts, starts[1:] + [k]):
        rows = list(range(start, stop))
        if float(rho[stop - 1]) <= _TIE:  # uncorrelated: x's directions without a partner are just as uncorrelated
            rows += list(range(k, rank_x))
        b, dim = stop - start, len(rows)
        mean_abs = math.exp(math.lgamma(dim / 2) - math.lgamma((dim + 1) / 2)) / math.sqrt(math.pi)
        values.append(rho[start:stop].mean())
        weights.append(b * mean_abs * torch.linalg.vector_norm(coordinates[rows], dim=0).sum())
    return torch.stack(values), torch.stack(weights)


def ridge_cca(x: torch.Tensor, y: torch.Tensor, *, lam: float, measure: str = "cca.ridge") -> torch.Tensor:
    """Mean regularised canonical correlation, usable when features outnumber stimuli.

    Each centred side is scaled to unit total variance (``||xc||_F = 1``); the correlations are the singular values
    of ``(Cxx + lam I)^{-1/2} Cxy (Cyy + lam I)^{-1/2}`` with ``C`` the cross products of the scaled data,
    computed as ``diag(fx) Ux^T Uy diag(fy)`` with ``f = s / sqrt(s^2 + lam)``. ``lam = 0`` is plain CCA.
    """
    sx, sy = centred_svd(x, measure, "x"), centred_svd(y, measure, "y")
    fx, fy = (s / torch.sqrt(s * s + lam * t) for s, t in ((sx.s, sx.total_variance), (sy.s, sy.total_variance)))
    return torch.linalg.svdvals(fx[:, None] * (sx.u.T @ sy.u) * fy[None, :]).mean()


def _info(metric_id: str, symmetric: bool, invariances: frozenset[str], description: str = "") -> MetricInfo:
    return MetricInfo(metric_id, "similarity", symmetric, False, invariances, 2, description)


def _svcca(rest: str | None, *, squared: bool = False) -> FunctionMetric:
    prefix = "cca.svcca_sq" if squared else "cca.svcca"
    if rest is None:
        raise MetricInputError(f"{prefix} needs a variance fraction or a count, for example '{prefix}.0.99'")
    keep: float | int = int(rest) if rest.isdigit() else parse_float(rest, prefix, low=1e-12, high=1.0)
    if keep == 0:
        raise MetricInputError(f"{prefix}.0: keep at least one component")
    what = "mean rho^2" if squared else "mean rho"
    return FunctionMetric(_info(f"{prefix}.{rest}", True, _AFFINE_FREE, f"SVCCA ({what}) keeping {keep}"),
                          partial(svcca, keep=keep, squared=squared, measure=prefix))


def _ridge(rest: str | None) -> FunctionMetric:
    lam = parse_float(rest, "cca.ridge")
    return FunctionMetric(_info(f"cca.ridge.{rest}", True, _AFFINE_FREE, f"ridge CCA, lambda {lam:g}"),
                          partial(ridge_cca, lam=lam))


# The factories the built-in families name (registered, with their descriptions, in neuroalign.metrics.families).
mean_factory = fixed_factory(_info("cca.mean", True, _AFFINE_FREE | {"invertible_linear"}), mean_cca)
mean_sq_factory = fixed_factory(_info("cca.mean_sq", True, _AFFINE_FREE | {"invertible_linear"}),
                                partial(mean_cca, squared=True))
svcca_factory = _svcca
svcca_sq_factory = partial(_svcca, squared=True)
pwcca_factory = fixed_factory(_info("cca.pwcca", False, frozenset({"permutation", "translation", "isotropic_scaling"})),
                              pwcca)
ridge_factory = _ridge
