"""Row-wise ranks of condensed RDMs, computed once per RDM and reused by every comparison it enters.

All ranks come from one ``argsort`` per row plus linear passes (``scipy.stats.rankdata(axis=1)`` is several times
slower). Rows are independent and numpy sorts without holding the GIL, so long rows are ranked on a thread pool
with one worker per available core (1.8x faster on two idle cores). :func:`centred_ranks` (Spearman, rho-a) ranks
large inputs with a compiled radix sort instead (:mod:`neuroalign.compare._ranks_numba`), with the same values.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import numpy as np

#: Rows shorter than this are ranked serially: a thread pool costs more than it saves.
_THREADED_MIN_LENGTH = 4_096
#: From this many entries in all, :func:`centred_ranks` runs the compiled radix kernel: ``np.argsort`` would take
#: about a second there (its random accesses make it the machine-dependent part), numba's import 0.3 s once.
_COMPILED_MIN_ENTRIES = 1 << 24
#: Up to this row length ``m**3`` fits int64, which the compiled kernel's exact norm needs.
_COMPILED_MAX_LENGTH = 2_000_000


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


def new_tie_groups(ordered: np.ndarray, xp: Any = np) -> np.ndarray:
    """True where a sorted value differs from the one before it (the first position of each tie group).

    ``xp`` is the array namespace (``numpy``, or a torch stand-in with the same functions).
    """
    new_group = xp.ones(ordered.shape, dtype=bool)
    new_group[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    return new_group


def tie_average_ranks(ordered_weights: np.ndarray | None, new_group: np.ndarray, xp: Any = np) -> np.ndarray:
    """Average ranks, in sorted order, of values repeated ``weight`` times: the one ranking rule of the package.

    A value's rank is the weight of all smaller values plus half (weight + 1) of its tie group. Untied values
    (most of them in real RDMs) take ``through - (weight - 1) / 2`` from the cumulative weight ``through``; only
    the positions in tie groups, found in the flattened array where every row starts and ends a group, are
    averaged over their group. Unit weights give ``scipy.stats.rankdata(method="average")``
    (:func:`average_ranks`); integer weights the ranks of a stimulus resample
    (:func:`neuroalign.stats._weighted.weighted_ranks`). Ranks are multiples of 1/2, exact in float64.

    Parameters
    ----------
    ordered_weights : ndarray, shape (..., m), or None
        Each sorted value's weight; ``None`` for unit weights (computed in closed form, NumPy only: a tie group at
        sorted positions ``s..e`` ranks ``(s + e) / 2 + 1``).
    new_group : ndarray of bool, shape (..., m) or broadcastable to it
        :func:`new_tie_groups` of the sorted values.
    xp : module
        The array namespace of the inputs.
    """
    if ordered_weights is None:
        return _unit_weight_ranks(new_group)
    # C order, so that the flat views below are views (a column gather can return Fortran order)
    ordered_weights = xp.ascontiguousarray(ordered_weights)
    through = xp.cumsum(ordered_weights, axis=-1)  # weight up to and including each sorted position
    ranks = through - (ordered_weights - 1.0) / 2.0
    new_group = xp.broadcast_to(new_group, ranks.shape)  # one RDM's tie groups serve all its resamples
    last_of_group = xp.ones(new_group.shape, dtype=bool)
    last_of_group[..., :-1] = new_group[..., 1:]
    tied = xp.flatnonzero(~(new_group & last_of_group))
    if len(tied):
        opens = new_group.reshape(-1)[tied]
        first, last = tied[opens], tied[last_of_group.reshape(-1)[tied]]
        flat_through = through.reshape(-1)
        before = flat_through[first] - ordered_weights.reshape(-1)[first]
        average = before + (flat_through[last] - before + 1.0) / 2.0
        ranks.reshape(-1)[tied] = average[xp.cumsum(opens) - 1]
    return ranks


def _unit_weight_ranks(new_group: np.ndarray) -> np.ndarray:
    """:func:`tie_average_ranks` with unit weights: first and last sorted position of every value's tie group."""
    n = new_group.shape[-1]
    if new_group.ndim == 1:  # one long row: a repeat per tie group beats two running extrema
        starts = np.flatnonzero(new_group)
        if starts.size == n:
            return np.arange(1.0, n + 1.0)
        sizes = np.diff(np.r_[starts, n])
        return np.repeat(starts + (sizes + 1) / 2.0, sizes)
    position = np.broadcast_to(np.arange(n), new_group.shape)
    ends_group = np.ones(new_group.shape, dtype=bool)
    ends_group[..., :-1] = new_group[..., 1:]
    first = np.maximum.accumulate(np.where(new_group, position, 0), axis=-1)
    last = np.flip(np.minimum.accumulate(np.flip(np.where(ends_group, position, n - 1), -1), axis=-1), -1)
    return (first + last) / 2.0 + 1.0


def average_ranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks of each row, ties sharing the average of the ranks they span.

    Parameters
    ----------
    x : ndarray, shape (n_rows, n)
        Finite values (no NaN).

    Returns
    -------
    ndarray, shape (n_rows, n), float64
        Equal to ``scipy.stats.rankdata(x, method="average", axis=1)`` (:func:`tie_average_ranks` with unit
        weights). Average ranks are multiples of 1/2, so they are exact in float64.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.shape[1] < _THREADED_MIN_LENGTH:
        # many short rows: one sort of the whole array, no per-row Python step
        order = np.argsort(x, axis=1, kind="stable")
        ranks = tie_average_ranks(None, new_tie_groups(np.take_along_axis(x, order, axis=1)))
        out = np.empty(x.shape, dtype=np.float64)
        np.put_along_axis(out, order, ranks, axis=1)
        return out
    out = np.empty(x.shape, dtype=np.float64)

    def fill(k: int) -> None:
        order = np.argsort(x[k])
        out[k, order] = tie_average_ranks(None, new_tie_groups(x[k, order]))

    _for_each_row(x, fill)
    return out


def centred_ranks(x: np.ndarray, *, unit_norm: bool) -> np.ndarray:
    """Average ranks of each row minus their mean ``(m + 1) / 2``, scaled.

    Parameters
    ----------
    x : ndarray, shape (n_rows, m)
        Finite values (no NaN).
    unit_norm : bool
        Scale each row to unit norm (Spearman's standardised ranks; a row must not be constant), or else by
        ``sqrt(12 / (m**3 - m))``, the norm of untied ranks (rho-a).

    Returns
    -------
    ndarray, shape (n_rows, m), float64
        One new array: large inputs (:data:`_COMPILED_MIN_ENTRIES`) are ranked by a compiled radix sort in parallel
        and written in place of any temporary, with the exact norm ``sqrt(((m**3 - m) - sum(t**3 - t)) / 12)`` over
        the tie groups' sizes ``t``; smaller ones by :func:`average_ranks` (the norm summed). The two agree to
        rounding (1e-16).
    """
    x = np.asarray(x, dtype=np.float64)
    m = x.shape[1]
    if x.size >= _COMPILED_MIN_ENTRIES and m <= _COMPILED_MAX_LENGTH:
        from neuroalign.compare._ranks_numba import centred_ranks_rows  # numba: heavy, imported for big inputs only

        out = np.empty(x.shape, dtype=np.float64)
        centred_ranks_rows(np.ascontiguousarray(x), out, unit_norm)
        return out
    ranks = average_ranks(x)
    ranks -= (m + 1) / 2.0  # the mean of average ranks is always (m + 1) / 2, and exact
    ranks *= _unit_scales(ranks)[:, None] if unit_norm else np.sqrt(12.0 / (float(m) ** 3 - m))
    return ranks


def _unit_scales(centred: np.ndarray) -> np.ndarray:
    """``1 / ||row||`` of centred average ranks, from the exact sum of squares where it fits int64.

    Twice a centred average rank is an integer, so ``12 * sum(r**2) = 3 * sum((2 r)**2)`` is exact in int64 (the
    compiled kernel's ``(m**3 - m) - sum(t**3 - t)``): both paths give the same scale, one rounding from exact.
    A float sum per row (``einsum``) loses 3e-12 relative at 499,500 entries.
    """
    if centred.shape[1] > _COMPILED_MAX_LENGTH:
        return 1.0 / np.sqrt(np.square(centred).sum(axis=1))  # pairwise summation
    twice = (2.0 * centred).astype(np.int64)
    squares = 3 * np.einsum("ij,ij->i", twice, twice)
    with np.errstate(divide="ignore"):  # a constant row has no unit norm (its caller refuses it)
        return np.where(squares > 0, 1.0 / np.sqrt(squares / 12.0), np.nan)


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
