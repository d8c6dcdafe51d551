"""Per-subject comparisons and noise ceilings of a batch of stimulus resamples, and where they are undefined.

A resample is a row of pair weights (see :mod:`neuroalign.stats._resample`). The weighted comparators
(:mod:`neuroalign.stats._weighted`) evaluate a whole batch at once, in NumPy or in torch on a device; Kendall's
tau-a expands each resample and runs the plain comparator. Alongside the values the evaluator says which RDM made a
resample undefined (constant under Pearson or Spearman, zero under the cosine, a constant pooled ceiling RDM), so
that the bootstrap can apply its rule (:mod:`neuroalign.stats._undefined`) instead of returning NaN.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.compare import compare
from neuroalign.stats._weighted import WEIGHTED, flat_on_support, inner, noise_ceiling_prepared, prepare, presort
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

    With a torch ``device`` the weighted comparators run on tensors there (the RDMs are moved and sorted once,
    each batch's weights moved per call) and return NumPy arrays; Kendall's tau-a stays on the NumPy path.
    """

    def __init__(self, a: np.ndarray, b: np.ndarray, method: str, device: Any = None) -> None:
        self.a, self.b, self.method = a, b, method
        self.torch = None
        if device is not None and method in WEIGHTED:
            import torch

            self.torch, self.device = torch, device
            a, b = (torch.as_tensor(np.ascontiguousarray(v), dtype=torch.float64, device=device) for v in (a, b))
        self.ta, self.tb = a, b
        self.sorted_a, self.sorted_b = presort(a, method), presort(b, method)

    def __call__(self, weights: np.ndarray, ceiling: bool = False) -> BatchResult:
        """Evaluate every row of ``weights`` ``(n_samples, n_pairs)``; with ``ceiling`` also the noise ceiling."""
        if self.method not in WEIGHTED:
            return self._expanded(weights, ceiling)
        if self.torch is not None:
            weights = self.torch.as_tensor(weights, dtype=self.torch.float64, device=self.device)
        # Undefined resamples divide by zero on purpose: they are flagged below and never reach a result.
        with np.errstate(divide="ignore", invalid="ignore"):
            za, _ = prepare(self.ta, weights, self.method, self.sorted_a)
            zb, ranks = prepare(self.tb, weights, self.method, self.sorted_b)
            # The subjects' vectors are prepared once for both the model comparisons and the ceiling.
            bounds, flat_pools = (noise_ceiling_prepared(zb, ranks, weights, self.method) if ceiling
                                  else (None, None))
            values = inner(za, zb, weights)
        out = [values, bounds, flat_on_support(self.ta, weights, self.method),
               flat_on_support(self.tb, weights, self.method), flat_pools]
        if self.torch is not None:
            out = [None if v is None else v.cpu().numpy() for v in out]
        if out[4] is None:
            out[4] = np.zeros(weights.shape[0], dtype=bool)
        return BatchResult(*out)

    def _expanded(self, weights: np.ndarray, ceiling: bool) -> BatchResult:
        """Kendall's tau-a: pair ``k`` repeated ``weights[k]`` times, one call per resample (defined everywhere)."""
        per_subject, bounds = [], []
        for w in weights:
            a, b = (np.repeat(v, w.astype(int), axis=1) for v in (self.a, self.b))
            per_subject.append(compare(a, b, self.method))
            if ceiling:
                bounds.append(np.stack(leave_one_out_bounds(b, self.method)))
        n = weights.shape[0]
        return BatchResult(np.stack(per_subject), np.stack(bounds) if ceiling else None,
                          np.zeros((n, self.a.shape[0]), bool), np.zeros((n, self.b.shape[0]), bool),
                          np.zeros(n, bool))
