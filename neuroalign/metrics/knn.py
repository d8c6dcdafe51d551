"""Neighbourhood alignment (Huh et al. 2024, "The Platonic Representation Hypothesis"): mutual kNN, cycle kNN, CKNNA.

Neighbours are cosine neighbours: rows are scaled to unit norm and ranked by inner product, the stimulus itself
excluded. Ties (similarities within :data:`TIE`) are broken deterministically in favour of the lower stimulus
index, so duplicated stimuli give the same answer on every run and device, and after any rotation or scaling.

These scores depend strongly on ``n`` (chance for mutual kNN is about ``k / (n - 1)``): compare values only at equal
``n`` and ``k``.
"""

from __future__ import annotations

from typing import Callable

import torch

from neuroalign.errors import InvalidOptionError
from neuroalign.metrics.base import Metric, MetricInfo, MetricInputError

_COSINE = frozenset({"orthogonal", "isotropic_scaling"})


def cosine_gram(x: torch.Tensor, measure: str) -> torch.Tensor:
    """Inner products of the unit-norm rows of ``x`` (raises for an all-zero row, whose direction is undefined)."""
    norms = torch.linalg.vector_norm(x, dim=1)
    if (norms == 0).any():
        rows = torch.nonzero(norms == 0).flatten().tolist()
        raise MetricInputError(f"{measure}: cosine neighbours need non-zero rows; rows {rows[:10]} are all zero")
    u = x / norms[:, None]
    return u @ u.T


#: Cosine similarities closer than this are tied: rounding moves them by ~1e-16, e.g. under a rotation of the
#: features, and must not decide which of two duplicated stimuli is the neighbour.
TIE = 1e-12


def neighbour_order(sim: torch.Tensor) -> torch.Tensor:
    """Indices sorting each row of ``sim`` (``(..., n)``) by decreasing similarity, ties to the lower index.

    Similarities within :data:`TIE` of the next one in sorted order count as tied, so the order (and a kNN set)
    does not depend on rounding: duplicated stimuli, or category indicators, tie exactly before a rotation and to
    ~1e-16 after it. ``-inf`` entries (the stimulus itself) come last.
    """
    values, order = torch.sort(sim, dim=-1, descending=True, stable=True)
    gaps = values[..., :-1] - values[..., 1:]  # NaN between two -inf: tied
    starts = torch.cat([torch.zeros_like(gaps[..., :1], dtype=torch.bool), gaps > TIE], dim=-1)
    group = torch.empty_like(order).scatter_(-1, order, torch.cumsum(starts.to(torch.int64), dim=-1))
    n = sim.shape[-1]
    return torch.argsort(group * n + torch.arange(n, device=sim.device), dim=-1)


def knn_mask(gram: torch.Tensor, k: int) -> torch.Tensor:
    """Boolean ``(n, n)``: ``mask[i, j]`` is True when ``j`` is one of the ``k`` rows most similar to row ``i``."""
    n = gram.shape[0]
    sim = gram.clone()
    sim.fill_diagonal_(-torch.inf)
    order = neighbour_order(sim)[:, :k]
    mask = torch.zeros(n, n, dtype=torch.bool, device=gram.device)
    return mask.scatter_(1, order, True)


def mutual_knn(x: torch.Tensor, y: torch.Tensor, k: int, measure: str = "knn.mutual") -> torch.Tensor:
    """Mean over stimuli ``i`` of ``|N_k^x(i) ∩ N_k^y(i)| / k``."""
    both = knn_mask(cosine_gram(x, measure), k) & knn_mask(cosine_gram(y, measure), k)
    return both.sum(1).to(torch.float64).mean() / k


def cycle_knn(x: torch.Tensor, y: torch.Tensor, k: int, measure: str = "knn.cycle") -> torch.Tensor:
    """Fraction of stimuli ``i`` that some ``j in N_k^y(i)`` has among its neighbours in ``x`` (``i in N_k^x(j)``).

    The cycle goes from ``i`` to its neighbours in ``y`` and back through the neighbours in ``x``, as in the
    reference code of Huh et al.; it is not symmetric in ``x`` and ``y``.
    """
    in_y = knn_mask(cosine_gram(y, measure), k)
    in_x = knn_mask(cosine_gram(x, measure), k)
    # returns[i] = any_j in_y[i, j] and in_x[j, i]
    returns = (in_y & in_x.T).any(dim=1)
    return returns.to(torch.float64).mean()


def _hsic_unbiased(k: torch.Tensor, l: torch.Tensor) -> torch.Tensor:
    """Song et al.'s unbiased HSIC of two ``(n, n)`` kernels (diagonals set to zero first), n >= 4.

    Kept apart from :func:`neuroalign.metrics.hsic.hsic_unbiased` on purpose: the neighbour-masked kernels here are
    not symmetric, and the trace term must be ``tr(K L) = sum(K * L.T)`` as in the CKNNA reference code, which the
    symmetric-kernel shortcut ``sum(K * L)`` would change.
    """
    n = k.shape[0]
    kt, lt = k.clone().fill_diagonal_(0), l.clone().fill_diagonal_(0)
    value = (kt * lt.T).sum() + kt.sum() * lt.sum() / ((n - 1) * (n - 2)) - 2 * (kt @ lt).sum() / (n - 2)
    return value / (n * (n - 3))


def cknna(x: torch.Tensor, y: torch.Tensor, k: int, measure: str = "knn.cknna") -> torch.Tensor:
    """CKA on mutual neighbours: ``HSIC(K∘A, L∘A) / sqrt(HSIC(K∘A_K, K∘A_K) HSIC(L∘A_L, L∘A_L))``.

    ``K``, ``L`` are cosine Gram matrices, ``A_K[i, j] = 1`` when ``j`` is one of the ``k`` nearest neighbours of
    ``i`` in ``x`` (``A_L`` likewise in ``y``), ``A = A_K ∘ A_L``, and HSIC is the unbiased estimator. No epsilon
    is added to the denominator: a non-positive self-alignment raises instead.

    This is the estimator of the authors' reference code (masked kernels into the unbiased HSIC). The neighbour
    relation is not symmetric (``j`` near ``i`` does not make ``i`` near ``j``), so the masked kernels are not
    symmetric and the HSIC term ``1' K L 1`` differs from ``1' L K 1``: CKNNA is slightly asymmetric in ``x`` and
    ``y`` and is declared so.
    """
    gx, gy = cosine_gram(x, measure), cosine_gram(y, measure)
    mx, my = knn_mask(gx, k).to(gx.dtype), knn_mask(gy, k).to(gy.dtype)
    both = mx * my
    denominator = _hsic_unbiased(gx * mx, gx * mx) * _hsic_unbiased(gy * my, gy * my)
    if denominator <= 0:
        raise MetricInputError(f"{measure}: the neighbourhood self-alignment of a representation is not positive "
                               f"(k={k} too small for these data); use a larger k")
    return _hsic_unbiased(gx * both, gy * both) / torch.sqrt(denominator)


class NeighbourMetric(Metric):
    """A neighbourhood alignment score at a fixed ``k``; see the module docstring for the neighbour rule."""

    def __init__(self, family: str, k: int, fn: Callable[..., torch.Tensor], symmetric: bool,
                 min_samples: int, description: str) -> None:
        self.k, self.fn = k, fn
        self.info = MetricInfo(id=f"knn.{family}.{k}", kind="similarity", symmetric=symmetric, is_metric=False,
                               invariances=_COSINE, min_samples=min_samples, description=description)

    def compute(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The score as a 0-d tensor; raises :class:`MetricInputError` when ``k >= n``."""
        n = x.shape[0]
        if self.k >= n:
            raise MetricInputError(f"{self.info.id}: needs k < n (k={self.k}, n={n}); a stimulus has only n - 1 "
                                   "neighbours")
        return self.fn(x, y, self.k, self.info.id)


def _family(name: str, fn: Callable[..., torch.Tensor], symmetric: bool, floor: int,
            description: str) -> Callable[[str | None], NeighbourMetric]:
    def factory(rest: str | None) -> NeighbourMetric:
        if rest is None or not rest.isdigit() or int(rest) < 1:
            raise InvalidOptionError(f"knn.{name} needs a positive integer k in its id, e.g. 'knn.{name}.10'; "
                                     f"got {rest!r}")
        k = int(rest)
        # min_samples stays the estimator's floor so that k >= n reaches compute's error, which names k.
        return NeighbourMetric(name, k, fn, symmetric, floor, description)

    return factory


# The factories the built-in families name (registered, with their descriptions, in neuroalign.metrics.families).
mutual_factory = _family("mutual", mutual_knn, True, 2,
                         "mutual k-nearest-neighbour overlap (cosine), Huh et al. 2024")
cycle_factory = _family("cycle", cycle_knn, False, 2,
                        "cycle kNN: y-neighbours of i that have i as an x-neighbour, Huh et al. 2024")
cknna_factory = _family("cknna", cknna, False, 4,
                        "CKA on mutual k-nearest-neighbour pairs (unbiased HSIC), Huh et al. 2024")
