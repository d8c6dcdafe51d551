"""Numba kernel for Kendall's tau-a over many RDM pairs (imported on first use: numba is slow to import).

One compiled call does the whole ``n_a x n_b`` block, in two parallel loops:

1. each RDM once: a stable radix sort of its float64 bit patterns (3x faster than ``np.argsort`` for 20,000
   entries) gives its sorting order, dense ranks, the first sorted position of each distinct value, and its number
   of tied pairs;
2. each pair of RDMs: break every tie consistently (the walked RDM's ties by the other RDM's value, the rest by
   walk position), which turns each pair tied in either RDM into a concordant one, so that
   ``S = concordant - discordant = S' - tied_a - tied_b + tied_both`` with ``S'`` the statistic of a permutation;
   ``S'`` comes from one walk over that permutation that counts, for each entry, the entries already walked that
   rank below it (:func:`_permutation_sum`).
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, prange
from numba.core import types
from numba.extending import intrinsic

from neuroalign.compare._radix_numba import radix_order

#: Radix-4 levels of packed 16-bit prefix counters above the 64-bit words of the bit set: a lane counts at most
#: three children of 64 * 4**4 entries (49,152 < 65,536), and the fifth level's nodes span 65,536 ranks.
_PACKED_LEVELS = 5
_TOP_SHIFT = 6 + 2 * _PACKED_LEVELS


@intrinsic
def _popcount(typingctx, x):  # pragma: no cover - compiled
    """Set bits of a uint64 (LLVM's ``ctpop``: one instruction on current CPUs)."""
    def codegen(context, builder, signature, args):
        return builder.call(builder.module.declare_intrinsic("llvm.ctpop", [ir.IntType(64)]), args)

    return types.uint64(types.uint64), codegen


@njit(cache=True)
def _structure(row, order_out, dense_out, first_out):  # pragma: no cover - compiled
    """Fill one RDM's stable sorting order, 0-based dense ranks and the first sorted position of each distinct
    value (``first_out[level]``, then ``n`` after the last level); return (number of levels, tied pairs)."""
    order, keys = radix_order(row)
    n = row.size
    level = 0
    first_out[0] = 0
    tied = 0
    run = 1
    for t in range(n):
        if t > 0:
            if keys[t] != keys[t - 1]:
                tied += run * (run - 1) // 2
                run = 1
                level += 1
                first_out[level] = t
            else:
                run += 1
        order_out[t] = order[t]
        dense_out[order[t]] = level
    tied += run * (run - 1) // 2
    first_out[level + 1] = n
    return level + 1, tied


@njit(inline="always", cache=True)
def _level(nodes, r, shift, increments):  # pragma: no cover - compiled
    """Read, then count in, rank ``r`` at one radix-4 level: lane ``d`` of a node holds how many walked ranks fell
    in the node's children before child ``d`` (four 16-bit lanes per uint64)."""
    node = r >> np.uint64(shift + 2)
    d = (r >> np.uint64(shift)) & np.uint64(3)
    lanes = nodes[node]
    nodes[node] = lanes + increments[d]
    return (lanes >> (d << np.uint64(4))) & np.uint64(0xFFFF)


@njit(cache=True)
def _permutation_sum(seq):  # pragma: no cover - compiled
    """``concordant - discordant`` between walk position and ``seq``, a permutation of ``0 .. m - 1``.

    For each walked entry, the entries walked before it that rank below it are the set bits below its rank in a
    bit set (one popcount in its 64-bit word) plus one lane per radix-4 level above the words: five loads, five
    adds and no data-dependent branch per entry (a Fenwick tree's loops mispredict; this is 2.3x faster). Ranks
    past 65,536 add a flat prefix over blocks of 65,536.
    """
    m = seq.size
    words = np.zeros((m + 63) >> 6, dtype=np.uint64)
    l1 = np.zeros((m >> 8) + 1, dtype=np.uint64)
    l2 = np.zeros((m >> 10) + 1, dtype=np.uint64)
    l3 = np.zeros((m >> 12) + 1, dtype=np.uint64)
    l4 = np.zeros((m >> 14) + 1, dtype=np.uint64)
    l5 = np.zeros((m >> 16) + 1, dtype=np.uint64)
    n_top = ((m - 1) >> _TOP_SHIFT) + 1
    top = np.zeros(n_top, dtype=np.int64)
    increments = np.zeros(4, dtype=np.uint64)  # lanes above d get one more
    for d in range(4):
        for c in range(d + 1, 4):
            increments[d] += np.uint64(1) << np.uint64(16 * c)
    one = np.uint64(1)
    s = 0
    for t in range(m):
        r = np.uint64(seq[t])
        w = r >> np.uint64(6)
        bit = one << (r & np.uint64(63))
        word = words[w]
        words[w] = word | bit
        below = _popcount(word & (bit - one))
        below += _level(l1, r, 6, increments)
        below += _level(l2, r, 8, increments)
        below += _level(l3, r, 10, increments)
        below += _level(l4, r, 12, increments)
        below += _level(l5, r, 14, increments)
        block = np.int64(r >> np.uint64(_TOP_SHIFT))
        s += 2 * (np.int64(below) + top[block]) - t  # nothing is tied: t - below walked entries rank above
        for c in range(block + 1, n_top):  # empty unless m > 65,536
            top[c] += 1
    return s


@njit(cache=True)
def _pair_sum(order_w, dense_w, first_w, tied_w, order_t, dense_t, first_t, tied_t):  # pragma: no cover
    """``concordant - discordant`` between a walked RDM ``w`` and another RDM ``t``.

    The walk is ``w``'s sorting order; when ``w`` has ties, each tie group is sorted by ``t`` (``t``'s stable
    order regrouped stably by ``w``'s dense rank: one counting pass). Each walked entry's rank is ``t``'s dense rank
    with ties broken by walk position. Every pair tied in ``w`` or in ``t`` then counts as concordant, so the pairs
    tied in each RDM (counted once per RDM) are subtracted and the pairs tied in both (runs along the walk) added.
    """
    m = order_w.size
    seq = np.empty(m, dtype=np.int32)
    if tied_w == 0 and tied_t == 0:
        for k in range(m):
            seq[k] = dense_t[order_w[k]]
        return _permutation_sum(seq)
    walk = order_w
    if tied_w > 0:
        walk = np.empty(m, dtype=np.int32)
        next_w = first_w.copy()
        for k in range(m):
            q = order_t[k]
            g = dense_w[q]
            walk[next_w[g]] = q
            next_w[g] += 1
    next_t = first_t.copy()
    if tied_w == 0:  # nothing is tied in both
        for k in range(m):
            level = dense_t[walk[k]]
            seq[k] = next_t[level]
            next_t[level] += 1
        return _permutation_sum(seq) - tied_t
    tied_both = 0
    run = 0
    for k in range(m):
        q = walk[k]
        level = dense_t[q]
        seq[k] = next_t[level]
        next_t[level] += 1
        if k > 0 and level == dense_t[walk[k - 1]] and dense_w[q] == dense_w[walk[k - 1]]:
            run += 1
            tied_both += run
        else:
            run = 0
    return _permutation_sum(seq) - tied_w - tied_t + tied_both


@njit(inline="always", cache=True)
def _empty_structures(n, m):  # pragma: no cover - compiled
    """Buffers for :func:`_structure` of ``n`` rows of ``m``: order, dense ranks, first positions, levels, ties.

    Inlined: called, the same buffers made the whole block 25% slower (70 against 90 ms CPU for 20 x 20 RDMs).
    """
    return (np.empty((n, m), dtype=np.int32), np.empty((n, m), dtype=np.int32), np.empty((n, m + 1), dtype=np.int32),
            np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64))


def _tau_a_sums(a, b, symmetric):  # pragma: no cover - compiled
    """``S = concordant - discordant`` (int64) for every pair (row i of ``a``, row j of ``b``).

    ``a`` and ``b`` are C-ordered float64 ``(n, m)`` arrays without NaN, ``m`` < 2**31. Each row is sorted once;
    each pair walks an RDM without ties when it has one (no regrouping pass). With ``symmetric`` (``b`` is ``a``)
    only j >= i is computed. The pairs are listed first so that the parallel loop splits the work evenly.
    """
    n_a, m = a.shape
    order_a, dense_a, first_a, levels_a, tied_a = _empty_structures(n_a, m)
    for k in prange(n_a):
        levels_a[k], tied_a[k] = _structure(a[k], order_a[k], dense_a[k], first_a[k])
    if symmetric:
        order_b, dense_b, first_b, levels_b, tied_b = order_a, dense_a, first_a, levels_a, tied_a
    else:
        order_b, dense_b, first_b, levels_b, tied_b = _empty_structures(b.shape[0], m)
        for k in prange(b.shape[0]):
            levels_b[k], tied_b[k] = _structure(b[k], order_b[k], dense_b[k], first_b[k])
    n_b = levels_b.size
    n_pairs = n_a * (n_a + 1) // 2 if symmetric else n_a * n_b
    pair_i = np.empty(n_pairs, dtype=np.int64)
    pair_j = np.empty(n_pairs, dtype=np.int64)
    p = 0
    for i in range(n_a):
        for j in range(i if symmetric else 0, n_b):
            pair_i[p] = i
            pair_j[p] = j
            p += 1
    out = np.zeros((n_a, n_b), dtype=np.int64)
    for p in prange(n_pairs):
        i = pair_i[p]
        j = pair_j[p]
        if tied_a[i] <= tied_b[j]:  # walk the RDM with fewer ties
            out[i, j] = _pair_sum(order_a[i], dense_a[i], first_a[i, : levels_a[i] + 1], tied_a[i],
                                  order_b[j], dense_b[j], first_b[j, : levels_b[j] + 1], tied_b[j])
        else:
            out[i, j] = _pair_sum(order_b[j], dense_b[j], first_b[j, : levels_b[j] + 1], tied_b[j],
                                  order_a[i], dense_a[i], first_a[i, : levels_a[i] + 1], tied_a[i])
    return out


#: Over many pairs, in parallel (all cores).
tau_a_sums = njit(parallel=True, cache=True)(_tau_a_sums)

# numba names a cache file after the Python function, not after the compile options: two cached dispatchers of
# ``_tau_a_sums`` (parallel and serial) shared one file, and whichever compiled first was loaded for both (the
# parallel kernel ran on one thread). The serial kernel is therefore its own function, into which the loops are
# inlined (prange is range without parallel=True); the inlined dispatcher itself is never cached.
_tau_a_sums_inlined = njit(inline="always")(_tau_a_sums)


@njit(cache=True)
def tau_a_sums_serial(a, b, symmetric):  # pragma: no cover - compiled
    """:func:`tau_a_sums` on one thread: for little work, waking numba's thread pool costs more than the pairs (a
    single pair of 780 entries took 20 ms in parallel on a loaded 2-core machine, 0.05 ms here)."""
    return _tau_a_sums_inlined(a, b, symmetric)
