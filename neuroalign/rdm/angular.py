"""Angle-based distances: correlation (1 - Pearson r across channels) and cosine (1 - cosine similarity).

Both are ``1 - C_ij / sqrt(C_ii C_jj)`` of a Gram matrix ``C``: the raw Gram for cosine, the Gram of row-centred
patterns for correlation. Centring needs each row's mean over *all* units, which a stream does not know in
advance; so the engine accumulates the Gram and the row sums of shifted rows ``x_i - s_i`` and centres at the end:
``C = G - r r^T / p``. Correlation is invariant to any per-row constant, so the shift ``s_i`` is free; taking the
row mean of the first block keeps ``r`` small and avoids the cancellation an unshifted ``X X^T - r r^T / p``
suffers when patterns have a large mean relative to their spread (raw fMRI intensities, firing rates).
"""

from __future__ import annotations

from typing import Any

import torch

from neuroalign.rdm.backend import Backend
from neuroalign.rdm.distance import Distance, Stats
from neuroalign.rdm.precision import Precision
from neuroalign.rdm.validate import Labels, raise_degenerate


class AngularDistance(Distance):
    """``1 - <u_i, u_j> / (|u_i| |u_j|)`` with ``u`` the patterns, row-centred when ``center`` is true."""

    #: ``1 - r`` of patterns scaled to unit norm (after centring) is half their squared Euclidean distance.
    squared = True

    def __init__(self, name: str, *, center: bool) -> None:
        self.name = name
        self.center = center
        # Centring each pattern across features breaks invariance to rotations (and to a shift of all patterns).
        self.invariances = frozenset({"isotropic_scaling", "permutation"} | (set() if center else {"orthogonal"}))

    def begin(self, block: torch.Tensor) -> torch.Tensor | None:
        return block.mean(dim=-1, keepdim=True) if self.center else None

    def statistics(self, block: torch.Tensor, state: Any, precision: Precision, span: tuple[int, int],
                   backend: Backend) -> Stats:
        shifted = (block if state is None else torch.sub(block, state, out=backend.empty(block.shape)))[:, 0]
        stats = {"gram": backend.gram(shifted)}
        if self.center:
            stats["sums"] = shifted.sum(dim=-1)
        return stats

    def working_squares(self, unbalanced: bool = False) -> float:
        return 1.5  # the Gram, finalised in place, and its condensed half

    def finalize(self, stats: Stats, state: Any, n_units: int, backend: Backend, labels: Labels) -> torch.Tensor:
        # In place on the accumulated Gram: for 5,000 stimuli every n x n temporary is 200 MB.
        gram = stats["gram"]
        raw_norms = torch.diagonal(gram, dim1=-2, dim2=-1).clone()
        if self.center:
            sums = stats["sums"]
            gram.baddbmm_(sums[:, :, None], sums[:, None, :], alpha=-1.0 / n_units)
        norms = torch.diagonal(gram, dim1=-2, dim2=-1).clone().clamp_(min=0)
        self._check_norms(norms, raw_norms, stats.get("sums"), state, n_units, backend, labels)
        scale = norms.sqrt_()
        gram.div_(scale[:, :, None]).div_(scale[:, None, :])
        # 1 - r lies in [0, 2]; rounding can step outside by an ulp.
        return gram.neg_().add_(1.0).clamp_(0.0, 2.0)

    def _check_norms(self, norms: torch.Tensor, raw_norms: torch.Tensor, sums: torch.Tensor | None, state: Any,
                     n_units: int, backend: Backend, labels: Labels) -> None:
        if not self.center:
            raise_degenerate(norms == 0, labels, "all-zero patterns have no direction, so the cosine distance is "
                             "undefined for", "Drop these stimuli or use 'euclidean'.")
            return
        # The sum of squares of the original rows, recovered from the shifted statistics.
        shift = state[:, 0, :, 0]
        squares = raw_norms + 2 * shift * sums + n_units * shift ** 2
        # A variance below what the dtype resolves relative to the values is a constant pattern: its centred
        # norm is rounding residue, and dividing by it would give meaningless correlations.
        constant = norms <= 16 * backend.eps ** 2 * squares
        raise_degenerate(constant, labels, "constant patterns (zero variance across channels) have no correlation "
                         "with anything, so the correlation distance is undefined for",
                         "Drop these stimuli or use 'euclidean' / 'sqeuclidean'.")
