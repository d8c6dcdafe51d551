"""Linear CKA for many pairs: centre each representation and take its self-terms once, pay one product per pair."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from neuroalign.metrics._family import FunctionMetric
from neuroalign.metrics._linalg import require_variance
from neuroalign.metrics.base import MetricInputError
from neuroalign.metrics.hsic import unbiased_from_terms


@dataclass(frozen=True)
class PreparedLinear:
    """One centred representation: its features (``d <= n``) or its linear Gram (``d > n``), with self-terms."""

    features: torch.Tensor | None
    gram: torch.Tensor | None
    self_hsic: torch.Tensor  # tr(K K) = ||xc^T xc||_F^2
    diagonal: torch.Tensor  # diag(K): squared row norms of xc
    n: int


def _cross_trace(a: PreparedLinear, b: PreparedLinear) -> torch.Tensor:
    """``tr(K_a K_b)`` by the cheapest route the two stored forms allow."""
    if a.features is not None and b.features is not None:
        return torch.linalg.matrix_norm(b.features.T @ a.features) ** 2
    if a.gram is not None and b.gram is not None:
        return (a.gram * b.gram).sum()
    gram, feats = (a.gram, b.features) if a.gram is not None else (b.gram, a.features)
    return ((gram @ feats) * feats).sum()


class LinearCKA(FunctionMetric):
    """Linear (biased or debiased) CKA whose per-representation work is shared across pairs."""

    def __init__(self, info, fn, *, debiased: bool) -> None:
        super().__init__(info, fn)
        self.debiased = debiased

    def prepare(self, x: torch.Tensor) -> PreparedLinear:
        require_variance(x, self.info.id, "a representation")
        n, d = x.shape
        xc = x - x.mean(dim=0)
        if d > n:
            gram = xc @ xc.T
            return PreparedLinear(None, gram, torch.linalg.matrix_norm(gram) ** 2, torch.diagonal(gram).clone(), n)
        return PreparedLinear(xc, None, torch.linalg.matrix_norm(xc.T @ xc) ** 2, (xc * xc).sum(dim=1), n)

    def compute_prepared(self, px: PreparedLinear, py: PreparedLinear) -> torch.Tensor:
        kl = _cross_trace(px, py)
        if not self.debiased:
            return kl / torch.sqrt(px.self_hsic * py.self_hsic)
        n = px.n
        if n < 4:
            raise MetricInputError(f"{self.info.id} needs at least 4 stimuli; got {n}")
        kk = unbiased_from_terms(px.self_hsic, px.diagonal, px.diagonal, n)
        ll = unbiased_from_terms(py.self_hsic, py.diagonal, py.diagonal, n)
        if kk <= 0 or ll <= 0:
            raise MetricInputError(f"{self.info.id}: an unbiased self-HSIC is <= 0; debiased CKA is undefined")
        return unbiased_from_terms(kl, px.diagonal, py.diagonal, n) / torch.sqrt(kk * ll)
