"""Centred kernel alignment (Kornblith et al. 2019): linear, debiased, angular, RBF and minibatch estimators.

Registered ids: ``cka.linear``, ``cka.debiased``, ``cka.angular``, ``cka.rbf.<sigma>``, ``cka.rbf.median`` and
``cka.rbf.median.<factor>``. Gram-form estimators live in :mod:`neuroalign.metrics.hsic`.
"""

from __future__ import annotations

from functools import partial

import torch

from neuroalign.errors import InvalidPatternsError
from neuroalign.metrics._family import FunctionMetric, fixed_factory, parse_float
from neuroalign.metrics._linalg import centre, require_variance
from neuroalign.metrics.base import MetricInfo, MetricInputError
from neuroalign.metrics.hsic import (cka_from_grams, hsic_biased, hsic_unbiased, linear_terms,
                                     unbiased_from_terms)
from neuroalign.metrics.cka_prepared import LinearCKA

__all__ = ["MinibatchCKA", "angular_cka", "cka_from_grams", "hsic_biased", "hsic_unbiased", "linear_cka",
           "median_distance", "minibatch_cka", "rbf_cka", "rbf_gram"]

_ROTATION_FREE = frozenset({"orthogonal", "permutation", "translation"})


def linear_cka(x: torch.Tensor, y: torch.Tensor, *, debiased: bool = False, measure: str = "cka.linear"
               ) -> torch.Tensor:
    """Linear CKA of two ``(n, d)`` representations, in feature form.

    Features are centred over stimuli. Biased: ``||yc^T xc||_F^2 / (||xc^T xc||_F ||yc^T yc||_F)``, computed from
    ``d x d`` products when ``d <= n`` (no ``n x n`` Gram). Debiased: the unbiased HSIC of Song et al. (2012) on
    the linear Grams, from the same products plus the Gram diagonals (needs ``n >= 4``; may be negative).
    """
    t = linear_terms(x, y, measure)
    if debiased:
        if t.n < 4:
            raise MetricInputError(f"{measure} needs at least 4 stimuli; got {t.n}")
        kl, kk, ll = (unbiased_from_terms(v, a, b, t.n) for v, a, b in
                      ((t.kl, t.dk, t.dl), (t.kk, t.dk, t.dk), (t.ll, t.dl, t.dl)))
        for name, value in (("x", kk), ("y", ll)):
            if value <= 0:
                raise MetricInputError(f"{measure}: the unbiased self-HSIC of {name} is {float(value):.3g} <= 0 "
                                       "(too few stimuli or too little variance); debiased CKA is undefined")
    else:
        kl, kk, ll = t.kl, t.kk, t.ll
    return kl / torch.sqrt(kk * ll)


def angular_cka(x: torch.Tensor, y: torch.Tensor, *, measure: str = "cka.angular") -> torch.Tensor:
    """``arccos`` of linear CKA: the angle between the centred linear Grams as vectors (a pseudometric).

    Linear CKA is the cosine between ``vec(H K H)`` and ``vec(H L H)``, so its arccos is the great-circle distance
    between the normalised centred Grams (Williams et al. 2021), in ``[0, pi/2]``.
    """
    return torch.arccos(linear_cka(x, y, measure=measure).clamp(-1.0, 1.0))


def _pairwise_sq_distances(xc: torch.Tensor) -> torch.Tensor:
    sq = (xc * xc).sum(dim=1)
    d2 = (sq[:, None] + sq[None, :] - 2.0 * (xc @ xc.T)).clamp_min(0.0)
    return d2.fill_diagonal_(0.0)


def median_distance(x: torch.Tensor) -> torch.Tensor:
    """Median Euclidean distance over distinct stimulus pairs ``i < j`` (the lower median for an even count)."""
    d2 = _pairwise_sq_distances(centre(x))
    iu = torch.triu_indices(x.shape[0], x.shape[0], offset=1, device=x.device)
    return torch.sqrt(d2[iu[0], iu[1]].median())


def rbf_gram(x: torch.Tensor, sigma: float | torch.Tensor) -> torch.Tensor:
    """Gaussian kernel ``exp(-||x_i - x_j||^2 / (2 sigma^2))``, ``n x n`` (distances from centred features)."""
    return torch.exp(-_pairwise_sq_distances(centre(x)) / (2.0 * sigma ** 2))


def rbf_cka(x: torch.Tensor, y: torch.Tensor, *, sigma: float | None = None, median_factor: float | None = None,
            measure: str = "cka.rbf") -> torch.Tensor:
    """CKA with Gaussian kernels and the biased HSIC (Kornblith et al. 2019).

    Give either a fixed bandwidth ``sigma`` (shared by both sides) or ``median_factor``: then each side's
    bandwidth is ``median_factor`` times its own median pairwise distance (over pairs ``i < j``; Kornblith et al.
    take the median of the squared distances including the zero diagonal, which differs slightly).
    """
    if (sigma is None) == (median_factor is None):
        raise MetricInputError(f"{measure}: give exactly one of sigma and median_factor")
    require_variance(x, measure, "x")
    require_variance(y, measure, "y")
    bandwidths = []
    for name, z in (("x", x), ("y", y)):
        if sigma is not None:
            bandwidths.append(sigma)
            continue
        med = median_distance(z)
        if med == 0:
            raise MetricInputError(f"{measure}: the median pairwise distance of {name} is zero (more than half "
                                   "of the stimulus pairs are identical); choose a fixed bandwidth")
        bandwidths.append(median_factor * med)
    return cka_from_grams(rbf_gram(x, bandwidths[0]), rbf_gram(y, bandwidths[1]), measure=measure)


class MinibatchCKA:
    """Streaming linear CKA over minibatches (Nguyen et al. 2021), for ``n`` too large for an ``n x n`` Gram.

    Each minibatch contributes its unbiased linear HSIC (Song et al. 2012) to three running sums; the estimate is
    ``sum HSIC_u(x, y) / sqrt(sum HSIC_u(x, x) sum HSIC_u(y, y))``. Every batch needs at least 4 stimuli; feed
    batches of equal size so that every batch carries the same weight.
    """

    def __init__(self, measure: str = "cka.minibatch") -> None:
        self.measure = measure
        self._sums = torch.zeros(3, dtype=torch.float64)
        self.n_batches = 0

    def update(self, x: torch.Tensor, y: torch.Tensor) -> None:
        """Add one minibatch of matched rows (``(b, d_x)`` and ``(b, d_y)``, ``b >= 4``)."""
        x, y = torch.as_tensor(x, dtype=torch.float64), torch.as_tensor(y, dtype=torch.float64)
        if not (torch.isfinite(x).all() and torch.isfinite(y).all()):
            raise InvalidPatternsError(f"{self.measure}: a minibatch has NaN or Inf")
        if x.shape[0] < 4 or x.shape[0] != y.shape[0]:
            raise MetricInputError(f"{self.measure}: a minibatch needs at least 4 matched stimuli; got "
                                   f"{x.shape[0]} and {y.shape[0]}")
        t = linear_terms(x, y, self.measure)
        b = t.n
        values = [unbiased_from_terms(t.kl, t.dk, t.dl, b), unbiased_from_terms(t.kk, t.dk, t.dk, b),
                  unbiased_from_terms(t.ll, t.dl, t.dl, b)]
        self._sums = self._sums + torch.stack(values).cpu()
        self.n_batches += 1

    def compute(self) -> torch.Tensor:
        """The CKA estimate from every batch so far (0-d tensor)."""
        kl, kk, ll = self._sums
        if self.n_batches == 0 or kk <= 0 or ll <= 0:
            raise MetricInputError(f"{self.measure}: no batches yet, or a summed self-HSIC is not positive")
        return kl / torch.sqrt(kk * ll)


def minibatch_cka(x: torch.Tensor, y: torch.Tensor, batch_size: int, *, seed: int = 0) -> torch.Tensor:
    """Minibatch linear CKA of two in-memory representations (see :class:`MinibatchCKA`).

    Rows are shuffled with ``seed`` and split into ``n // batch_size`` batches of ``batch_size``; the remaining
    ``n % batch_size`` rows are dropped so that all batches weigh the same.
    """
    n = x.shape[0]
    if batch_size < 4 or batch_size > n:
        raise MetricInputError(f"cka.minibatch: batch_size must lie in [4, n={n}]; got {batch_size}")
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed)).to(x.device)
    acc = MinibatchCKA()
    for start in range(0, n - batch_size + 1, batch_size):
        rows = order[start:start + batch_size]
        acc.update(x[rows], y[rows])
    return acc.compute()


def _rbf(rest: str | None) -> FunctionMetric:
    if rest is not None and (rest == "median" or rest.startswith("median.")):
        factor = parse_float(rest[len("median."):] or None, "cka.rbf.median", default=1.0, low=1e-300)
        info = MetricInfo(f"cka.rbf.{rest}", "similarity", True, False, _ROTATION_FREE | {"isotropic_scaling"}, 3,
                          f"RBF CKA, bandwidth {factor:g} x median pairwise distance")
        return FunctionMetric(info, partial(rbf_cka, median_factor=factor))
    sigma = parse_float(rest, "cka.rbf", low=1e-300)
    info = MetricInfo(f"cka.rbf.{rest}", "similarity", True, False, _ROTATION_FREE, 2,
                      f"RBF CKA, fixed bandwidth {sigma:g}")
    return FunctionMetric(info, partial(rbf_cka, sigma=sigma))


# The factories the built-in families name (registered, with their descriptions, in neuroalign.metrics.families).
linear_factory = fixed_factory(MetricInfo(
    "cka.linear", "similarity", True, False, _ROTATION_FREE | {"isotropic_scaling"}, 2),
    linear_cka, cls=partial(LinearCKA, debiased=False))
debiased_factory = fixed_factory(MetricInfo(
    "cka.debiased", "similarity", True, False, _ROTATION_FREE | {"isotropic_scaling"}, 4),
    partial(linear_cka, debiased=True), cls=partial(LinearCKA, debiased=True))
angular_factory = fixed_factory(MetricInfo(
    "cka.angular", "distance", True, True, _ROTATION_FREE | {"isotropic_scaling"}, 2), angular_cka)
rbf_factory = _rbf
