"""How a metric reads a representation: Grams, RDMs, neighbourhoods or features, prepared once per stimulus subset.

A *route* prepares one representation on the stimuli at positions ``idx`` and scores two prepared representations
(the layer x layer matrices), and scores batches of resamples (:meth:`score_resamples`): a permutation null pairs
the held-out positions of one side with permuted positions of the other; a bootstrap resample repeats positions on
both sides alike. In a resample, the pair of a stimulus with its own copy is never treated as a pair of stimuli.

- :class:`LinearCKARoute` (``cka.linear``, ``cka.debiased``): one linear Gram ``X X^T`` per representation on all
  stimuli (features centred over all stimuli; for a brain RDM, its embedding's Gram, i.e. the double-centred RDM);
  subsets are cut from it and resamples are counts (:mod:`neuroalign.alignment.weighted_cka`).
- :class:`RDMRoute` (``rsa.*``): one square RDM per representation on all stimuli (a brain's measured RDM, or the
  metric's distance on the features); copy pairs are dropped, as in :mod:`neuroalign.stats.resample`.
- :class:`NeighbourRoute` (``knn.mutual.*``): neighbours from one similarity matrix per representation (cosine for
  features, minus the dissimilarity for a brain RDM, so a brain's neighbours are its own); copies of a stimulus are
  never each other's neighbours.
- :class:`FeatureRoute` (any other metric): the metric's own ``prepare`` / ``compute_prepared`` on the rows
  (repeated rows of a resample are weighted samples; a brain enters through its RDM embedding, approximately).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import torch

from neuroalign.errors.applications import AlignmentError
from neuroalign.alignment.sources import Representation
from neuroalign.alignment.weighted_cka import cka_weighted
from neuroalign.backend import get_backend
from neuroalign.compare import compare_condensed
from neuroalign.errors import DegenerateRDMError
from neuroalign.core.condensed import upper_indices
from neuroalign.metrics.base import Metric, MetricInputError, as_representation
from neuroalign.metrics.cka_prepared import LinearCKA
from neuroalign.metrics.knn import NeighbourMetric, cosine_gram, mutual_knn, neighbour_order
from neuroalign.metrics.rsa import RSAMetric
from neuroalign.rdm import compute_rdms


def safe_score(score: Callable[..., float], *args: Any) -> float:
    """The score, or NaN where the metric is undefined on these stimuli (e.g. a non-positive unbiased HSIC, or an
    RDM constant on a resample's stimuli); the study counts and reports every NaN."""
    try:
        return score(*args)
    except (MetricInputError, DegenerateRDMError):
        return float("nan")


class FeatureRoute:
    """Any feature metric through its ``prepare`` / ``compute_prepared`` (see the module docstring)."""

    def __init__(self, metric: Metric, device: Any = None) -> None:
        self.metric = metric
        self.device = get_backend(device).torch_device

    def prepare(self, rep: Representation, idx: np.ndarray) -> Any:
        tensor = as_representation(rep.features[idx], "a representation", self.metric.info).to(self.device)
        return self.metric.prepare(tensor)

    def score(self, pa: Any, pb: Any) -> float:
        return float(self.metric.compute_prepared(pa, pb))

    def score_resamples(self, rep_a: Representation, rep_b: Representation, idx_a: np.ndarray,
                        idx_b: np.ndarray) -> np.ndarray:
        """``(B,)`` scores of side ``a`` at rows ``idx_a[k]`` against side ``b`` at rows ``idx_b[k]``."""
        return np.array([safe_score(lambda i, j: self.score(self.prepare(rep_a, i), self.prepare(rep_b, j)), i, j)
                         for i, j in zip(idx_a, idx_b)])


class _FullMatrixRoute:
    """A route that computes one ``(n, n)`` matrix per representation on all stimuli and cuts subsets from it."""

    def __init__(self, metric: Metric) -> None:
        self.metric = metric
        self._full: dict[int, np.ndarray] = {}

    def _matrix(self, rep: Representation) -> np.ndarray:
        raise NotImplementedError

    def full(self, rep: Representation) -> np.ndarray:
        key = id(rep)
        if key not in self._full:
            self._full[key] = self._matrix(rep)
        return self._full[key]

    def _blocks(self, rep: Representation, idx: np.ndarray) -> np.ndarray:
        """``(B, m, m)`` sub-matrices at the positions of each row of ``idx`` ``(B, m)``."""
        return self.full(rep)[idx[:, :, None], idx[:, None, :]]


def _has_repeats(idx: np.ndarray) -> bool:
    return bool((np.diff(np.sort(idx, axis=1), axis=1) == 0).any())


class LinearCKARoute(_FullMatrixRoute):
    """Linear CKA (biased or debiased) from Grams cut from one ``X X^T`` per representation."""

    metric: LinearCKA

    def _matrix(self, rep: Representation) -> np.ndarray:
        centred = rep.features - rep.features.mean(axis=0)
        return centred @ centred.T

    def prepare(self, rep: Representation, idx: np.ndarray) -> np.ndarray:
        need = self.metric.info.min_samples
        if len(idx) < need:
            raise MetricInputError(f"{self.metric.info.id} needs at least {need} stimuli; got {len(idx)}")
        return self._blocks(rep, idx[None, :])

    def score(self, pa: np.ndarray, pb: np.ndarray) -> float:
        return float(cka_weighted(pa, pb, np.ones((1, pa.shape[1])), debiased=self.metric.debiased)[0])

    def score_resamples(self, rep_a: Representation, rep_b: Representation, idx_a: np.ndarray,
                        idx_b: np.ndarray) -> np.ndarray:
        if np.array_equal(idx_a, idx_b):  # a bootstrap: the stimuli involved, weighted by their counts
            units = np.unique(idx_a)
            counts = (idx_a[:, :, None] == units[None, None, :]).sum(axis=1).astype(np.float64)
            k, l = self._blocks(rep_a, units[None, :]), self._blocks(rep_b, units[None, :])
            return cka_weighted(k, l, counts, debiased=self.metric.debiased)
        if _has_repeats(idx_a) or _has_repeats(idx_b):
            raise AlignmentError("resamples with repeated stimuli must repeat the same stimuli on both sides")
        same_a = bool((idx_a == idx_a[:1]).all())
        k = self._blocks(rep_a, idx_a[:1] if same_a else idx_a)
        return cka_weighted(k, self._blocks(rep_b, idx_b), np.ones(idx_a.shape), debiased=self.metric.debiased)


class RDMRoute(_FullMatrixRoute):
    """RSA: the measured RDM (brains) or the metric's RDM of the features, compared by the metric's comparator."""

    metric: RSAMetric

    def _matrix(self, rep: Representation) -> np.ndarray:
        if rep.rdm is not None:
            return rep.rdm
        n = rep.features.shape[0]
        return compute_rdms(rep.features, self.metric.distance, stimulus_ids=[str(k) for k in range(n)]).to_square()[0]

    def prepare(self, rep: Representation, idx: np.ndarray) -> np.ndarray:
        rows, cols = upper_indices(len(idx))
        keep = idx[rows] != idx[cols]  # the pair of a stimulus with its own copy is not a measured dissimilarity
        return self.full(rep)[idx[rows[keep]], idx[cols[keep]]]

    def score(self, pa: np.ndarray, pb: np.ndarray) -> float:
        return float(np.asarray(compare_condensed(pa, pb, self.metric.comparator))[0, 0])

    def score_resamples(self, rep_a: Representation, rep_b: Representation, idx_a: np.ndarray,
                        idx_b: np.ndarray) -> np.ndarray:
        if _has_repeats(idx_a) or _has_repeats(idx_b):  # pairs dropped: vectors of different lengths
            return np.array([safe_score(self.score, self.prepare(rep_a, i), self.prepare(rep_b, j))
                             for i, j in zip(idx_a, idx_b)])
        rows, cols = upper_indices(idx_a.shape[1])
        a = self.full(rep_a)[idx_a[:, rows], idx_a[:, cols]]
        b = self.full(rep_b)[idx_b[:, rows], idx_b[:, cols]]
        if (a == a[:1]).all():  # one side fixed (a permutation null): one batched comparison
            try:
                return np.asarray(compare_condensed(a[:1], b, self.metric.comparator))[0]
            except DegenerateRDMError:  # some resampled RDM is constant: score each, NaN where undefined
                pass
        return np.array([safe_score(self.score, x, y) for x, y in zip(a, b)])


class NeighbourRoute(_FullMatrixRoute):
    """Mutual k-nearest neighbours from a similarity matrix on all stimuli (cosine, or minus a brain's RDM)."""

    metric: NeighbourMetric

    def _matrix(self, rep: Representation) -> np.ndarray:
        if rep.rdm is not None:
            return -rep.rdm
        return cosine_gram(torch.tensor(rep.features, dtype=torch.float64), self.metric.info.id).numpy()

    def _masks(self, rep: Representation, idx: np.ndarray) -> torch.Tensor:
        """``(B, m, m)`` neighbour masks; a stimulus and its copies are never neighbours."""
        k = self.metric.k
        distinct = np.array([len(np.unique(row)) for row in idx])
        if (distinct <= k).any():
            raise MetricInputError(f"{self.metric.info.id} needs more than k={k} distinct stimuli; a subset has "
                                   f"{int(distinct.min())}")
        sim = self._blocks(rep, idx).copy()
        sim[idx[:, :, None] == idx[:, None, :]] = -np.inf
        order = neighbour_order(torch.from_numpy(sim))[:, :, :k]
        return torch.zeros(sim.shape, dtype=torch.bool).scatter_(2, order, True)

    def prepare(self, rep: Representation, idx: np.ndarray) -> torch.Tensor:
        return self._masks(rep, idx[None, :])

    def score(self, pa: torch.Tensor, pb: torch.Tensor) -> float:
        return float(self._overlap(pa, pb)[0])

    def _overlap(self, pa: torch.Tensor, pb: torch.Tensor) -> np.ndarray:
        return ((pa & pb).sum(2).to(torch.float64).mean(1) / self.metric.k).numpy()

    def score_resamples(self, rep_a: Representation, rep_b: Representation, idx_a: np.ndarray,
                        idx_b: np.ndarray) -> np.ndarray:
        same_a = bool((idx_a == idx_a[:1]).all())
        try:
            return self._overlap(self._masks(rep_a, idx_a[:1] if same_a else idx_a), self._masks(rep_b, idx_b))
        except MetricInputError:
            return np.array([safe_score(lambda i, j: self.score(self.prepare(rep_a, i), self.prepare(rep_b, j)), i, j)
                             for i, j in zip(idx_a, idx_b)])


#: (test, route factory); the first test a metric passes picks its route, FeatureRoute otherwise.
ROUTES: list[tuple[Callable[[Metric], bool], Callable[..., Any]]] = [
    (lambda m: isinstance(m, LinearCKA), lambda m, device: LinearCKARoute(m)),
    (lambda m: isinstance(m, RSAMetric), lambda m, device: RDMRoute(m)),
    (lambda m: isinstance(m, NeighbourMetric) and m.fn is mutual_knn, lambda m, device: NeighbourRoute(m)),
]


def route_for(metric: Metric, device: Any = None) -> Any:
    """The route a metric takes (see :data:`ROUTES`)."""
    for test, factory in ROUTES:
        if test(metric):
            return factory(metric, device)
    return FeatureRoute(metric, device)


def required_stimuli(metric: Metric) -> int:
    """The fewest stimuli the metric is defined for (``k + 1`` for a neighbourhood metric)."""
    k = getattr(metric, "k", None)
    return max(metric.info.min_samples, (k + 1) if isinstance(k, int) else 0)
