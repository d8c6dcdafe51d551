"""Row-wise ranks of condensed RDMs, computed once per RDM and reused by every comparison it enters.

All ranks come from one ``argsort`` per row plus linear passes (``scipy.stats.rankdata(axis=1)`` is several times
slower). Rows are independent and numpy sorts without holding the GIL, so long rows are ranked on a thread pool
with one worker per available core (1.8x faster on two idle cores).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import numpy as np

#: Rows shorter than this are ranked serially: a thread pool costs more than it saves.
_THREADED_MIN_LENGTH = 4_096


def _n_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _sorted_groups(row: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sorting permutation, and the start and size of each run of tied values in sorted order."""
    order = np.argsort(row)
    ordered = row[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, row.size])
    return order, starts, sizes


def _for_each_row(x: np.ndarray, fill: Callable[[int], None]) -> None:
    workers = min(_n_workers(), x.shape[0])
    if workers > 1 and x.shape[1] >= _THREADED_MIN_LENGTH:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(fill, range(x.shape[0])))
    else:
        for k in range(x.shape[0]):
            fill(k)


def average_ranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks of each row, ties sharing the average of the ranks they span.

    Parameters
    ----------
    x : ndarray, shape (n_rows, n)
        Finite values (no NaN).

    Returns
    -------
    ndarray, shape (n_rows, n), float64
        Equal to ``scipy.stats.rankdata(x, method="average", axis=1)``. Average ranks are multiples of 1/2, so they
        are exact in float64.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.shape[1] < _THREADED_MIN_LENGTH:
        return _average_ranks_at_once(x)
    out = np.empty(x.shape, dtype=np.float64)

    def fill(k: int) -> None:
        order, starts, sizes = _sorted_groups(x[k])
        if starts.size == x.shape[1]:  # no ties: rank = position in sorted order
            out[k, order] = np.arange(1, x.shape[1] + 1, dtype=np.float64)
        else:  # a tie group at sorted positions s..s+c-1 takes the mean rank s + (c + 1) / 2
            out[k, order] = np.repeat(starts + (sizes + 1) / 2.0, sizes)

    _for_each_row(x, fill)
    return out


def _average_ranks_at_once(x: np.ndarray) -> np.ndarray:
    """:func:`average_ranks` of many short rows with one sort of the whole array (no per-row Python step)."""
    n = x.shape[1]
    order = np.argsort(x, axis=1, kind="stable")
    ordered = np.take_along_axis(x, order, axis=1)
    position = np.broadcast_to(np.arange(n), x.shape)
    starts_group = np.ones(x.shape, dtype=bool)
    starts_group[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    ends_group = np.ones(x.shape, dtype=bool)
    ends_group[:, :-1] = starts_group[:, 1:]
    # first and last sorted position of every value's tie group; its average rank is their mean, plus 1
    first = np.maximum.accumulate(np.where(starts_group, position, 0), axis=1)
    last = np.minimum.accumulate(np.where(ends_group, position, n - 1)[:, ::-1], axis=1)[:, ::-1]
    out = np.empty(x.shape, dtype=np.float64)
    np.put_along_axis(out, order, (first + last) / 2.0 + 1.0, axis=1)
    return out


def tie_structure(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sorting order, tie groups and 0-based dense ranks of each row, from one sort per row.

    Parameters
    ----------
    x : ndarray, shape (n_rows, n)
        Finite values (no NaN).

    Returns
    -------
    order : ndarray, shape (n_rows, n), int64
        A permutation sorting each row ascending (the order inside a tie group is unspecified).
    group_end : ndarray, shape (n_rows, n), int64
        ``group_end[k, t]`` is the end (exclusive) of the run of tied values that sorted position ``t`` is in.
    dense : ndarray, shape (n_rows, n), int32
        ``dense[k, i]`` is the number of distinct values in row ``k`` smaller than ``x[k, i]``.
    n_levels : ndarray, shape (n_rows,), int64
        Number of distinct values in each row.
    """
    x = np.asarray(x, dtype=np.float64)
    order_out = np.empty(x.shape, dtype=np.int64)
    group_end = np.empty(x.shape, dtype=np.int64)
    dense = np.empty(x.shape, dtype=np.int32)
    levels = np.empty(x.shape[0], dtype=np.int64)

    def fill(k: int) -> None:
        order, starts, sizes = _sorted_groups(x[k])
        order_out[k] = order
        group_end[k] = np.repeat(starts + sizes, sizes)
        dense[k, order] = np.repeat(np.arange(starts.size, dtype=np.int32), sizes)
        levels[k] = starts.size

    _for_each_row(x, fill)
    return order_out, group_end, dense, levels
