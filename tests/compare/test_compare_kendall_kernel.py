"""The compiled tau-a kernel on the inputs that stress it: ties of every kind, signed zeros, infinities, the tie
bookkeeping (ties broken, then subtracted back), rows past the packed counters' 65,536 ranks, and its two paths
(one call for a block, one call per pair), against brute force, rsatoolbox and scipy, with zero difference."""

from __future__ import annotations

import numpy as np
import pytest
from rsatoolbox.rdm.compare import compare as rsa_compare
from scipy.stats import kendalltau, rankdata

from neuroalign.compare import kendall_tau_a


def _awkward_rows(rng: np.random.Generator, m: int) -> np.ndarray:
    """Rows that each exercise a branch: untied, categorical, integer levels, rank-transformed with ties (halves),
    constant, +0.0 and -0.0 (equal), negative values (signed keys), subnormal steps, huge values."""
    rows = [rng.random(m), rng.integers(0, 2, m).astype(float), np.round(rng.random(m) * 4),
            rankdata(np.round(rng.random(m) * 9)), np.full(m, 0.25), np.where(rng.random(m) < 0.5, 0.0, -0.0),
            rng.standard_normal(m), rng.integers(0, 5, m) * 5e-324, rng.random(m) * 1e308]
    return np.array(rows)


def _brute_numerators(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """concordant - discordant by counting every pair of entries (O(m^2))."""
    def signs(x):
        return np.sign(np.greater.outer(x, x).astype(int) - np.less.outer(x, x))
    return np.array([[int(np.triu(signs(x) * signs(y), 1).sum()) for y in b] for x in a])


@pytest.mark.parametrize("m", [2, 3, 64, 65, 300])
def test_block_single_pair_and_self_paths_equal_brute_force_exactly(m):
    rng = np.random.default_rng(m)
    a, b = _awkward_rows(rng, m), _awkward_rows(rng, m)[::-1].copy()
    n0 = m * (m - 1) / 2.0
    expected = _brute_numerators(a, b) / n0
    np.testing.assert_array_equal(kendall_tau_a(a, b), expected)
    single = np.array([[kendall_tau_a(x, y)[0, 0] for y in b[:3]] for x in a[:3]])
    np.testing.assert_array_equal(single, expected[:3, :3])
    np.testing.assert_array_equal(kendall_tau_a(a), _brute_numerators(a, a) / n0)  # the symmetric path


def test_equals_rsatoolbox_exactly_with_heavy_ties():
    """rsatoolbox's tau-a (scipy's sort-and-merge count) gives the same float: the same integer over the same n0."""
    rng = np.random.default_rng(11)
    m = 40 * 39 // 2
    a, b = rng.random((3, m)), rng.random((4, m))
    a[0], b[:2] = np.round(a[0] * 3), np.round(b[:2] * 5)  # tied against tied, tied against untied
    b[2] = rankdata(np.round(rng.random(m) * 20))
    np.testing.assert_array_equal(kendall_tau_a(a, b), rsa_compare(a, b, method="tau-a"))


def test_rows_past_the_packed_counters_equal_scipy():
    """Past 65,536 entries the walk adds a flat prefix over blocks of 65,536 ranks; scipy's tau-b numerator
    (exact to the float's rounding, times its denominator) checks the count there, with and without ties."""
    rng = np.random.default_rng(3)
    m = 70_001
    x = rng.random((2, m))
    y = rng.random((2, m))
    x[1], y[1] = np.round(x[1] * 300), np.round(y[1] * 7)
    n0 = m * (m - 1) / 2
    tau = kendall_tau_a(x, y)

    def tied_pairs(v):
        _, counts = np.unique(v, return_counts=True)
        return (counts * (counts - 1) // 2).sum()

    for i in range(2):
        for j in range(2):
            numerator = kendalltau(x[i], y[j]).statistic * np.sqrt((n0 - tied_pairs(x[i])) * (n0 - tied_pairs(y[j])))
            assert tau[i, j] * n0 == pytest.approx(numerator, abs=1e-6 * n0)


_CACHE_PROBE = """
import sys
import numpy as np
from neuroalign.compare import _kendall_numba as k
kernel = getattr(k, sys.argv[1])
kernel(np.random.default_rng(0).random((2, 50)), np.random.default_rng(1).random((2, 50)), False)
print(sum(kernel.stats.cache_hits.values()))
"""


def test_the_parallel_kernel_never_loads_the_serial_kernels_cache(tmp_path):
    """numba names a cache file after the Python function, not its compile options: when both kernels were cached
    dispatchers of one function, the first compiled was loaded for both and the parallel kernel ran on one thread.
    Here the serial kernel alone fills a fresh cache; the parallel one must then compile (no cache hit)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}

    def hits(kernel: str) -> int:
        out = subprocess.run([sys.executable, "-c", _CACHE_PROBE, kernel], env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr[-2000:]
        return int(out.stdout.split()[-1])

    assert hits("tau_a_sums_serial") == 0  # compiled into the fresh cache
    assert hits("tau_a_sums") == 0, "the parallel kernel was loaded from the serial kernel's cache file"
    assert hits("tau_a_sums") == 1 and hits("tau_a_sums_serial") == 1  # each now has its own cache entry
