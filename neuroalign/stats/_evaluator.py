"""Per-subject comparisons and noise ceilings of a batch of stimulus resamples, and where they are undefined.

A resample is a row of pair weights (see :mod:`neuroalign.stats.resample`). A comparator with a weighted form
(its entry's :attr:`~neuroalign.compare.Comparator.weighted`, evaluated by :mod:`neuroalign.stats._weighted`) runs
a whole batch at once, in NumPy or in torch on a device; any other resamplable comparator (Kendall's tau-a) sees
each resample expanded and runs its plain function. Alongside the values the evaluator says which RDM made a
resample undefined (an RDM of the kind the entry's :attr:`~neuroalign.compare.Comparator.undefined_for` names, or
such a pooled ceiling RDM), so that the bootstrap can apply its rule (:mod:`neuroalign.stats._undefined`) instead of
returning NaN.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.compare import Comparator, compare_condensed
from neuroalign.stats._weighted import flat_on_support, inner, noise_ceiling_prepared, prepare, presort
from neuroalign.stats.ceiling import leave_one_out_bounds


@dataclass(frozen=True)
class BatchResult:
    """What a batch of resamples gives.

    Attributes
    ----------
    per_subject : ndarray, shape (n_samples, n_models, n_subjects)
    bounds : ndarray, shape (n_samples, 2, n_subjects), or None
        Per-subject lower and upper noise-ceiling bounds (with a ceiling).
    flat_models, flat_data : ndarray of bool, shapes (n_samples, n_models) and (n_samples, n_subjects)
        The RDMs the comparator is undefined for on each resample's pairs.
    flat_pools : ndarray of bool, shape (n_samples,)
        Resamples whose pooled ceiling RDM (of all subjects, or all but one) is undefined for the comparator.
    """

    per_subject: np.ndarray
    bounds: np.ndarray | None
    flat_models: np.ndarray
    flat_data: np.ndarray
    flat_pools: np.ndarray

    @property
    def undefined(self) -> np.ndarray:
        """``(n_samples,)`` True where any comparison (or the ceiling) of the resample is undefined."""
        return self.flat_models.any(axis=1) | self.flat_data.any(axis=1) | self.flat_pools


class Evaluator:
    """Per-subject comparisons and noise ceilings under batches of stimulus pair weights.

    With a torch ``device`` the weighted forms run on tensors there (the RDMs are moved and sorted once, each
    batch's weights moved per call) and return NumPy arrays; a comparator without one stays on the NumPy path.
    """

    def __init__(self, a: np.ndarray, b: np.ndarray, comparator: Comparator, device: Any = None) -> None:
        self.a, self.b, self.comparator = a, b, comparator
        self.torch = None
        if device is not None and comparator.weighted is not None:
            import torch

            self.torch, self.device = torch, device
            a, b = (torch.as_tensor(np.ascontiguousarray(v), dtype=torch.float64, device=device) for v in (a, b))
        self.ta, self.tb = a, b
        self.sorted_a, self.sorted_b = presort(a, comparator), presort(b, comparator)

    def __call__(self, weights: np.ndarray, ceiling: bool = False) -> BatchResult:
        """Evaluate every row of ``weights`` ``(n_samples, n_pairs)``; with ``ceiling`` also the noise ceiling."""
        if self.comparator.weighted is None:
            return self._expanded(weights, ceiling)
        if self.torch is not None:
            weights = self.torch.as_tensor(weights, dtype=self.torch.float64, device=self.device)
        # Undefined resamples divide by zero on purpose: they are flagged below and never reach a result.
        with np.errstate(divide="ignore", invalid="ignore"):
            za, _ = prepare(self.ta, weights, self.comparator, self.sorted_a)
            zb, ranks = prepare(self.tb, weights, self.comparator, self.sorted_b)
            # The subjects' vectors are prepared once for both the model comparisons and the ceiling.
            bounds, flat_pools = (noise_ceiling_prepared(zb, ranks, weights, self.comparator) if ceiling
                                  else (None, None))
            values = inner(za, zb, weights)
        out = [values, bounds, flat_on_support(self.ta, weights, self.comparator),
               flat_on_support(self.tb, weights, self.comparator), flat_pools]
        if self.torch is not None:
            out = [None if v is None else v.cpu().numpy() for v in out]
        if out[4] is None:
            out[4] = np.zeros(weights.shape[0], dtype=bool)
        return BatchResult(*out)

    def _expanded(self, weights: np.ndarray, ceiling: bool) -> BatchResult:
        """No weighted form (Kendall's tau-a): pair ``k`` repeated ``weights[k]`` times, one call per resample.

        A resample on which an RDM (or a pooled ceiling RDM) is one the comparator is undefined for is flagged and
        left NaN, never compared.
        """
        flat_a = flat_on_support(self.a, weights, self.comparator)
        flat_b = flat_on_support(self.b, weights, self.comparator)
        n = weights.shape[0]
        per_subject = np.full((n, self.a.shape[0], self.b.shape[0]), np.nan)
        bounds = np.full((n, 2, self.b.shape[0]), np.nan) if ceiling else None
        flat_pools = np.zeros(n, bool)
        for k, w in enumerate(weights):
            if flat_a[k].any() or flat_b[k].any():
                continue
            a, b = (np.repeat(v, w.astype(int), axis=1) for v in (self.a, self.b))
            per_subject[k] = compare_condensed(a, b, self.comparator)
            if ceiling:
                flat_pools[k] = self._flat_pool(b)
                if not flat_pools[k]:
                    bounds[k] = np.stack(leave_one_out_bounds(b, self.comparator))
        return BatchResult(per_subject, bounds, flat_a, flat_b, flat_pools)

    def _flat_pool(self, b: np.ndarray) -> bool:
        """Whether the pool of all subjects, or of all but one, is an RDM the comparator is undefined for."""
        if self.comparator.undefined_for is None:
            return False
        scaled = b if self.comparator.pooling is None else self.comparator.pooling(b)
        total = scaled.sum(axis=0)
        pools = np.concatenate([total[None], total[None] - scaled])
        return bool(flat_on_support(pools, np.ones((1, b.shape[1])), self.comparator).any())
