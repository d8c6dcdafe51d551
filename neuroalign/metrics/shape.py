"""Shape metrics (Williams et al. 2021): Procrustes distances, partial whitening, permutations, Bures similarity.

Registered ids: ``shape.angular``, ``shape.euclidean``, ``shape.alpha.<alpha>``, ``shape.permutation``,
``shape.bures``. Every representation is centred over stimuli first. Sides of different width are compared as if
the narrower were padded with zero features; the orthogonal alignment is never formed, because the optimum of
``tr(Q^T X^T Y)`` over orthogonal ``Q`` is the nuclear norm ``||X^T Y||_*``.
"""

from __future__ import annotations

from functools import partial

import torch
from scipy.optimize import linear_sum_assignment

from neuroalign.metrics._family import FunctionMetric, fixed_factory, parse_float
from neuroalign.metrics._linalg import centre, centred_svd, gram_factor, nuclear_norm, require_variance
from neuroalign.metrics.base import MetricInfo

__all__ = ["alpha_shape_distance", "angular_procrustes", "bures_similarity", "euclidean_procrustes",
           "permutation_procrustes"]

_SHAPE_FREE = frozenset({"orthogonal", "permutation", "translation"})


def _centred_factor(x: torch.Tensor, measure: str, side: str) -> torch.Tensor:
    require_variance(x, measure, side)
    return gram_factor(centre(x))


def bures_similarity(x: torch.Tensor, y: torch.Tensor, *, measure: str = "shape.bures") -> torch.Tensor:
    """Normalised Bures similarity: ``||xc^T yc||_* / (||xc||_F ||yc||_F)``, in ``[0, 1]``.

    Equals the fidelity ``tr((Kx^{1/2} Ky Kx^{1/2})^{1/2})`` of the centred linear Grams normalised to unit trace,
    and the cosine of :func:`angular_procrustes`.
    """
    fx, fy = _centred_factor(x, measure, "x"), _centred_factor(y, measure, "y")
    fro = torch.linalg.matrix_norm
    return (nuclear_norm(fx.T @ fy) / (fro(fx) * fro(fy))).clamp(0.0, 1.0)


def angular_procrustes(x: torch.Tensor, y: torch.Tensor, *, measure: str = "shape.angular") -> torch.Tensor:
    """Angular Procrustes distance ``arccos(||x~^T y~||_*)`` with ``x~ = xc / ||xc||_F`` (a metric, ``[0, pi/2]``)."""
    return torch.arccos(bures_similarity(x, y, measure=measure))


def euclidean_procrustes(x: torch.Tensor, y: torch.Tensor, *, measure: str = "shape.euclidean") -> torch.Tensor:
    """Euclidean Procrustes distance ``min_Q ||xc - yc Q||_F`` over orthogonal ``Q`` (no normalisation, a metric).

    Computed as ``sqrt(||xc||^2 + ||yc||^2 - 2 ||xc^T yc||_*)``; a negative radicand from rounding is set to 0.
    """
    fx, fy = _centred_factor(x, measure, "x"), _centred_factor(y, measure, "y")
    sq = (fx * fx).sum() + (fy * fy).sum() - 2.0 * nuclear_norm(fx.T @ fy)
    return torch.sqrt(sq.clamp_min(0.0))


def alpha_shape_distance(x: torch.Tensor, y: torch.Tensor, *, alpha: float, measure: str = "shape.alpha"
                         ) -> torch.Tensor:
    """Angular distance between partially whitened representations (Williams et al. 2021).

    Each centred side is scaled to unit total variance (``C = x~^T x~`` has trace 1) and mapped to
    ``x~ (alpha I + (1 - alpha) C)^{-1/2}``, then to unit Frobenius norm; the value is the angular Procrustes
    distance of the results. ``alpha = 1`` is :func:`angular_procrustes`; ``alpha = 0`` whitens fully, giving
    ``arccos(sum(rho) / sqrt(r_x r_y))`` with ``rho`` the canonical correlations and ``r`` the ranks, i.e.
    ``arccos`` of the mean canonical correlation when the ranks agree.
    """
    parts = []
    for name, z in (("x", x), ("y", y)):
        svd = centred_svd(z, measure, name)
        s = svd.s / torch.sqrt(svd.total_variance)
        g = s / torch.sqrt(alpha + (1.0 - alpha) * s * s)  # singular values after partial whitening
        parts.append((svd.u, g / torch.linalg.vector_norm(g)))
    (ux, gx), (uy, gy) = parts
    cosine = nuclear_norm(gx[:, None] * (ux.T @ uy) * gy[None, :])
    return torch.arccos(cosine.clamp(-1.0, 1.0))


def permutation_procrustes(x: torch.Tensor, y: torch.Tensor, *, measure: str = "shape.permutation"
                           ) -> torch.Tensor:
    """Angular distance under the best matching of features: ``arccos(max_P tr(x~^T y~ P))``.

    ``x~``, ``y~`` are centred and scaled to unit Frobenius norm; ``P`` ranges over permutations (partial ones,
    that is zero-padding, when the widths differ), found by scipy's ``linear_sum_assignment`` on ``x~^T y~``.
    """
    require_variance(x, measure, "x")
    require_variance(y, measure, "y")
    xc, yc = centre(x), centre(y)
    cross = (xc.T @ yc) / (torch.linalg.matrix_norm(xc) * torch.linalg.matrix_norm(yc))
    rows, cols = linear_sum_assignment(cross.cpu().numpy(), maximize=True)
    matched = cross[torch.as_tensor(rows, device=x.device), torch.as_tensor(cols, device=x.device)].sum()
    return torch.arccos(matched.clamp(-1.0, 1.0))


def _alpha(rest: str | None) -> FunctionMetric:
    alpha = parse_float(rest, "shape.alpha", low=0.0, high=1.0)
    invariances = _SHAPE_FREE | {"isotropic_scaling"} | ({"invertible_linear"} if alpha == 0 else set())
    info = MetricInfo(f"shape.alpha.{rest}", "distance", True, True, invariances, 2,
                      f"angular shape distance after partial whitening, alpha {alpha:g}")
    return FunctionMetric(info, partial(alpha_shape_distance, alpha=alpha))


# The factories the built-in families name (registered, with their descriptions, in neuroalign.metrics.families).
angular_factory = fixed_factory(MetricInfo(
    "shape.angular", "distance", True, True, _SHAPE_FREE | {"isotropic_scaling"}, 2), angular_procrustes)
euclidean_factory = fixed_factory(MetricInfo(
    "shape.euclidean", "distance", True, True, _SHAPE_FREE, 2), euclidean_procrustes)
alpha_factory = _alpha
permutation_factory = fixed_factory(MetricInfo(
    "shape.permutation", "distance", True, True, frozenset({"permutation", "translation", "isotropic_scaling"}), 2),
    permutation_procrustes)
bures_factory = fixed_factory(MetricInfo(
    "shape.bures", "similarity", True, False, _SHAPE_FREE | {"isotropic_scaling"}, 2), bures_similarity)
