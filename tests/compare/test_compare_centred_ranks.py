"""Spearman and rho-a through centred_ranks: the compiled radix path (large inputs) and the NumPy path give
identical values, equal to scipy to float64 precision, including at 1000 conditions where a summed norm drifts."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import rankdata, spearmanr

from neuroalign.compare import ranks, rho_a, spearman
from neuroalign.compare.ranks import centred_ranks


def _rows(rng: np.random.Generator, m: int) -> np.ndarray:
    """Untied, categorical, many-level ties, signed zeros mixed with negatives, and rank-transformed (halves)."""
    signed = rng.standard_normal(m)
    signed[: m // 4] = 0.0
    signed[m // 4: m // 2] = -0.0
    return np.array([rng.random(m), np.r_[0.0, 1.0, rng.integers(0, 2, m - 2)], np.round(rng.random(m) * 30),
                     signed, rankdata(np.round(rng.random(m) * 9))])


@pytest.fixture
def compiled(monkeypatch):
    """Every input takes the compiled path."""
    monkeypatch.setattr(ranks, "_COMPILED_MIN_ENTRIES", 0)


@pytest.mark.parametrize("m", [2, 3, 100, 5000])
@pytest.mark.parametrize("unit_norm", [True, False])
def test_compiled_and_numpy_paths_are_identical_and_equal_scipy(m, unit_norm, rng, monkeypatch):
    x = _rows(rng, m)
    numpy_path = centred_ranks(x, unit_norm=unit_norm)
    monkeypatch.setattr(ranks, "_COMPILED_MIN_ENTRIES", 0)
    np.testing.assert_array_equal(centred_ranks(x, unit_norm=unit_norm), numpy_path)
    expected = rankdata(x, axis=1) - (m + 1) / 2
    expected = (expected / np.linalg.norm(expected, axis=1, keepdims=True) if unit_norm
                else expected * np.sqrt(12 / (m**3 - m)))
    np.testing.assert_allclose(numpy_path, expected, rtol=1e-15, atol=1e-17)


def test_compiled_spearman_and_rho_a_equal_scipy(rng, compiled):
    a, b = _rows(rng, 3000), _rows(rng, 3000)[::-1].copy()
    expected = np.array([[spearmanr(x, y).statistic for y in b] for x in a])
    np.testing.assert_allclose(spearman(a, b), expected, rtol=0, atol=1e-14)
    m = a.shape[1]
    ranks_a, ranks_b = rankdata(a, axis=1) - (m + 1) / 2, rankdata(b, axis=1) - (m + 1) / 2
    np.testing.assert_allclose(rho_a(a, b), 12 * ranks_a @ ranks_b.T / (m**3 - m), rtol=0, atol=1e-14)


def test_spearman_of_1000_condition_rdms_equals_scipy_to_1e_13(rng):
    """499,500 pairs: a float sum of squared ranks per row (the old norm) was off by 3e-12 relative, so a
    correlation near 1 was off by 6.8e-12; the exact integer norm leaves only the product's rounding (1e-15)."""
    m = 1000 * 999 // 2
    a = rng.random((2, m))
    b = np.stack([a[0] + 0.1 * rng.random(m), np.round(a[1] * 20)])  # correlations 0.995 and 0.999
    expected = np.array([[spearmanr(x, y).statistic for y in b] for x in a])
    np.testing.assert_allclose(spearman(a, b), expected, rtol=0, atol=1e-13)
