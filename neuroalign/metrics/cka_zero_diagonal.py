"""Linear CKA with the zero-diagonal HSIC estimator (Lange et al. 2023): the cosine of the centred linear Gram
matrices after their diagonals are set to zero, ``K~ = Xc Xc^T - diag(Xc Xc^T)``.

The diagonal of a centred Gram holds each stimulus's squared distance from the mean: a stimulus's similarity with
itself, which says nothing about how the stimuli relate. Dropping it makes the measure depend on the pairs only
(as an RDM comparison does; the same step starts the unbiased estimator of Song et al. 2012, without its further
corrections). Note what it does not do: for wide representations of few stimuli, centring leaves a constant
``-||x||^2 / n`` off the diagonal that unrelated representations share, so their score stays well above 0 (use
``cka.debiased`` for an unbiased HSIC). Computed in feature form from ``d x d`` products and the row norms:
``<K~, L~> = ||yc^T xc||_F^2 - sum_i ||xc_i||^2 ||yc_i||^2``.
"""

from __future__ import annotations

import torch

from neuroalign.metrics._family import fixed_factory
from neuroalign.metrics._linalg import centre, require_variance
from neuroalign.metrics.base import MetricInfo, MetricInputError

__all__ = ["zero_diagonal_cka"]


def zero_diagonal_cka(x: torch.Tensor, y: torch.Tensor, *, measure: str = "cka.zero_diagonal") -> torch.Tensor:
    """``<K~, L~>_F / (||K~||_F ||L~||_F)`` with ``K~`` the centred Gram without its diagonal; in ``[-1, 1]``."""
    require_variance(x, measure, "x")
    require_variance(y, measure, "y")
    xc, yc = centre(x), centre(y)
    kd, ld = (xc * xc).sum(dim=1), (yc * yc).sum(dim=1)  # the Gram diagonals
    kl = (yc.T @ xc).square().sum() - (kd * ld).sum()
    kk = (xc.T @ xc).square().sum() - (kd * kd).sum()
    ll = (yc.T @ yc).square().sum() - (ld * ld).sum()
    for name, value in (("x", kk), ("y", ll)):
        if value <= 0:
            raise MetricInputError(f"{measure}: the centred Gram of {name} has nothing off its diagonal (fewer "
                                   "than 3 stimuli); the measure is undefined")
    return kl / torch.sqrt(kk * ll)


#: Registered as ``cka.zero_diagonal`` in :mod:`neuroalign.metrics.families`.
factory = fixed_factory(MetricInfo(
    "cka.zero_diagonal", "similarity", True, False,
    frozenset({"orthogonal", "permutation", "translation", "isotropic_scaling"}), 3,
    "linear CKA of centred Grams with zeroed diagonals (Lange et al. 2023)"), zero_diagonal_cka)
