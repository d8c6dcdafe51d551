"""Centring the columns of a block before a Gram product: only where a common offset would cost precision.

The bilinear distances (:mod:`neuroalign.rdm.bilinear`) depend on the maps ``A``, ``B`` only through differences
of rows, so subtracting any vector from every row of a run (its column means) leaves them unchanged. It matters
for rounding alone: the products are computed to within about ``eps |a_i| |b_j|``, and a common offset ``m``
(raw intensities, rates) inflates every ``|a_i|^2`` by ``|m|^2`` while the distances stay small. Centring costs
a pass that writes a block-sized copy, which was 9% of a 1000 x 10000 x 2 crossnobis RDM whose patterns had no
offset at all; so a run is centred only when its offset energy exceeds its spread (``|m|^2 > mean_i |a_i - m|^2``).
Otherwise rows are at most ``sqrt(2)`` times longer than centred ones: the rounding error at most doubles, and
the result is still rsatoolbox's (which never centres) to float rounding.

The test costs less than a pass over the block: the column sums (one read-only pass, a BLAS matrix-vector
product) give the offset exactly, and every ``SAMPLE_STEP``-th row gives a lower bound of the spread (the sum
over all rows is at least the sum over those rows). Only when that bound does not settle it (an offset of more
than about ``1 / SAMPLE_STEP`` of the spread) is the sum of squares of the whole block read.
"""

from __future__ import annotations

import torch

from neuroalign.rdm.backend import Backend

#: Every how many rows the cheap lower bound of the spread reads.
SAMPLE_STEP = 8


def centred(values: torch.Tensor, block: torch.Tensor, backend: Backend) -> torch.Tensor:
    """``values`` (a ``(B, R, n, c)`` map) with each run's columns centred across stimuli if an offset dominates.

    Returns ``values`` itself when no run has an offset larger than its spread. Otherwise ``values`` is centred in
    place if a map made it, or into a new tensor if it is the input ``block`` (never written to).
    """
    n = values.shape[-2]
    sums = backend.column_sums(values)
    offset = (sums * sums).sum(dim=-1) / (n * n)  # |m|^2 per entry and run
    # Both tests are written so that NaN (an overflowing sum of squares) takes the safe branch.
    if not bool((offset <= _spread_lower_bound(values, sums / n, backend)).all()):
        spread = backend.squared_norms(values) / n - offset  # mean_i |a_i - m|^2, up to rounding
        if not bool((offset <= spread).all()):
            means = sums.div_(n).unsqueeze(-2)
            if values is block:
                return torch.sub(block, means, out=backend.empty(block.shape))
            return values.sub_(means)
    return values


def _spread_lower_bound(values: torch.Tensor, means: torch.Tensor, backend: Backend) -> torch.Tensor:
    """``sum over every SAMPLE_STEP-th row i of |a_i - m|^2 / n``, at most ``mean_i |a_i - m|^2`` (per entry, run)."""
    sample = values[..., ::SAMPLE_STEP, :]
    rows = torch.sub(sample, means.unsqueeze(-2), out=backend.empty(sample.shape))
    return rows.square_().sum(dim=(-2, -1)) / values.shape[-2]
