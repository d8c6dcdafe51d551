"""Centred average ranks of long rows, compiled by numba (imported on first use: numba is slow to import).

Each row is sorted once by :func:`~neuroalign.compare._radix_numba.radix_order`; one pass over the sorted keys
counts the ties, a second writes every entry's centred, scaled average rank straight into the output, so that no
row-sized temporary is made beyond the sort's own. Rows run in parallel.
"""

from __future__ import annotations

import numpy as np
from numba import get_num_threads, njit, prange

from neuroalign.compare._radix_numba import radix_order_into


@njit(cache=True)
def _centred_row(row, out, unit_norm, scratch_keys, scratch_order):  # pragma: no cover - compiled
    """``out = (average ranks of row - (m + 1) / 2) * scale`` with the scale of :func:`centred_ranks`.

    ``scratch_keys`` (uint64) and ``scratch_order`` (int32), shape (2, m): the sort's buffers, reused across rows.
    """
    order, keys = radix_order_into(row, scratch_keys[0], scratch_order[0], scratch_keys[1], scratch_order[1])
    m = row.size
    ties = 0  # sum of (t**3 - t) over tie groups: exact in int64 while m**3 < 2**63
    start = 0
    for t in range(1, m + 1):
        if t == m or keys[t] != keys[t - 1]:
            size = t - start
            ties += size * size * size - size
            start = t
    if unit_norm:  # sum of squared centred average ranks = ((m**3 - m) - ties) / 12, exactly
        squares = m * m * m - m - ties
        scale = 1.0 / np.sqrt(squares / 12.0) if squares > 0 else np.nan  # a constant row: no unit norm
    else:
        mf = float(m)
        scale = np.sqrt(12.0 / (mf**3 - mf))
    centre = (m + 1) / 2.0
    start = 0
    for t in range(1, m + 1):
        if t == m or keys[t] != keys[t - 1]:
            value = ((start + t + 1) / 2.0 - centre) * scale  # the average of 1-based ranks start+1 .. t
            for u in range(start, t):
                out[order[u]] = value
            start = t


def centred_ranks_rows(x: np.ndarray, out: np.ndarray, unit_norm: bool) -> None:
    """Fill ``out`` (float64, shape of ``x``) with each row's centred average ranks, scaled (``x``: C-ordered
    float64 without NaN).

    Rows run in parallel, dealt round-robin to one task per thread so that each task sorts in the same buffers.
    """
    _centred_rows(x, out, unit_norm, min(x.shape[0], get_num_threads()))


@njit(parallel=True, cache=True)
def _centred_rows(x, out, unit_norm, n_tasks):  # pragma: no cover - compiled
    n, m = x.shape
    for task in prange(n_tasks):
        scratch_keys = np.empty((2, m), dtype=np.uint64)
        scratch_order = np.empty((2, m), dtype=np.int32)
        for k in range(task, n, n_tasks):
            _centred_row(x[k], out[k], unit_norm, scratch_keys, scratch_order)
