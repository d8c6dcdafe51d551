"""Cross-validated distances when stimuli have unequal numbers of measurements (trials missing from some runs).

The balanced estimator (:mod:`neuroalign.rdm.bilinear`) averages ``(a_i^r - a_j^r) . (b_i^s - b_j^s)`` over the
ordered pairs of distinct runs ``r != s``; it needs every stimulus in every run. With ``w_ir = 1`` where stimulus
``i`` was measured in run ``r`` (0 where missing), the unbalanced estimator is

    S_ij = sum_{r != s} w_ir w_js a_i^r . b_j^s  /  N_ij,      N_ij = sum_{r != s} w_ir w_js
    d_ij = S_ii + S_jj - S_ij - S_ji

every cross product of two measurements from different runs, averaged with equal weight, for each of the three
terms separately (the mean of the cross-run *products*). Each term only multiplies measurements from different
runs, so noise independent between runs still cancels in expectation: the estimate is unbiased and may be
negative. For a balanced design (all ``w = 1``) every ``N_ij = R (R - 1)`` and ``d`` is the balanced estimator
exactly. For crossnobis it is rsatoolbox's ``calc_rdm_unbalanced(..., cv_descriptor=<run>)``, whose "number"
weighting of each product by its count of channels is uniform when no channel is missing (rsatoolbox divides by
``p``: ``normalize=True``). rsatoolbox's balanced ``calc_rdm`` instead averages the patterns of each fold first
(the mean of patterns); that is only defined with one pattern per stimulus and fold, which is why this estimator,
and not that one, extends the balanced case. See ``docs/distances.md``.

The sums are computed from Gram products of the maps ``A`` and ``B`` with missing rows set to zero. To keep the
products small (no cancellation from a large common offset, as with raw intensities or rates), each map is shifted
by its mean over the measured slots, ``A = A~ + c_a``, ``B = B~ + c_b``. The estimator is not invariant to such a
shift, so the shift is put back exactly:

    sum_{r != s} w_ir w_js a_i^r . b_j^s = K~_ij + U_i n_j - (u^T w)_ij + n_i V_j - (w^T v)_ij + N_ij c_a . c_b

with ``K~`` the cross-run kernel of the shifted maps, ``u_ir = a~_i^r . c_b``, ``v_jr = c_a . b~_j^r``, their sums
over runs ``U``, ``V``, and ``n_i`` the number of runs of stimulus ``i``. The last term is the same constant in
``S_ii``, ``S_jj``, ``S_ij`` and ``S_ji`` and cancels in ``d``. Every statistic is a sum over channels, so
blocks of channels stream as in the balanced case.
"""

from __future__ import annotations

from typing import Callable

import torch

from neuroalign.errors import NotEnoughRunsError
from neuroalign.rdm.distance import Stats
from neuroalign.rdm.measurements import Measurements
from neuroalign.rdm.validate import Labels

_SHOWN = 5


def _shifted(values: torch.Tensor, present: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``(values - c) * present`` (new tensor) and ``c``, the ``(B, c)`` mean of ``values`` over measured slots."""
    weights = present[..., None]
    shift = (values * weights).sum(dim=(1, 2)).div_(present.sum(dim=(1, 2))[:, None])
    return torch.sub(values, shift[:, None, None, :]).mul_(weights), shift


def unbalanced_statistics(a: torch.Tensor, b: torch.Tensor, measurements: Measurements,
                          kernel: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> Stats:
    """Additive statistics of one block of the maps ``a``, ``b`` (``(B, R, n, c)``, missing slots arbitrary).

    ``kernel(a, b)`` is the balanced cross-run kernel ``sum_{r != s} A_r B_s^T``
    (:func:`~neuroalign.rdm.bilinear.cross_run_kernel`); rows of missing slots are zero when it is called.
    """
    present = measurements.present
    a_shifted, shift_a = _shifted(a, present)
    if b is a:
        b_shifted, shift_b = a_shifted, shift_a
    else:
        b_shifted, shift_b = _shifted(b, present)
    # u_ir = a~_i^r . c_b and v_jr = c_a . b~_j^r, as (B, R, n) matrix-vector products (no block-sized temporary).
    stats = {"kernel": kernel(a_shifted, b_shifted), "u": torch.matmul(a_shifted, shift_b[:, None, :, None])[..., 0]}
    if b is not a:  # else v is u; one tensor under two keys would be summed twice over blocks
        stats["v"] = torch.matmul(b_shifted, shift_a[:, None, :, None])[..., 0]
    return stats


def _pair_counts(present: torch.Tensor, counts: torch.Tensor) -> torch.Tensor:
    """``N_ij``: ordered pairs of measurements of ``i`` and ``j`` from different runs, ``(B, n, n)``."""
    same_run = torch.matmul(present.transpose(1, 2), present)
    return counts[:, :, None] * counts[:, None, :] - same_run


def check_counts(measurements: Measurements, labels: Labels) -> None:
    """Raise :class:`NotEnoughRunsError` if a stimulus is measured in fewer than 2 runs (checked before the work).

    With every stimulus in at least 2 runs, every pair of stimuli has two measurements from different runs.
    """
    lonely = torch.nonzero(measurements.counts < 2).tolist()
    if lonely:
        places = [labels.place(entry, None, row) for entry, row in lonely[:_SHOWN]]
        raise NotEnoughRunsError(
            f"a cross-validated distance needs every stimulus measured in at least 2 runs; {len(lonely)} stimulus "
            f"slot(s) have fewer: {'; '.join(places)}. Drop these stimuli, or use a distance that is not "
            "cross-validated (their measured runs are then averaged)")


def unbalanced_finalize(stats: Stats, measurements: Measurements) -> torch.Tensor:
    """``(B, n, n)`` unbalanced cross-validated distances from statistics summed over all channels.

    Every stimulus must be measured in at least 2 runs (:func:`check_counts`, called by the engine first).
    """
    present, counts = measurements.present, measurements.counts
    pairs = _pair_counts(present, counts)
    u = stats["u"]
    v = stats.get("v", u)
    totals = stats.pop("kernel")
    totals.add_(u.sum(dim=1)[:, :, None] * counts[:, None, :]).sub_(torch.matmul(u.transpose(1, 2), present))
    totals.add_(counts[:, :, None] * v.sum(dim=1)[:, None, :]).sub_(torch.matmul(present.transpose(1, 2), v))
    means = totals.div_(pairs)
    diag = torch.diagonal(means, dim1=-2, dim2=-1).clone()
    values = torch.add(means, means.transpose(-1, -2)).neg_()
    return values.add_(diag[..., :, None]).add_(diag[..., None, :])
