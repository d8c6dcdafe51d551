"""Test data for the comparators: continuous RDMs, RDMs with many ties, and a brute-force tau-a."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import pdist


def continuous_rdms(rng: np.random.Generator, k: int, n: int, metric: str = "sqeuclidean") -> np.ndarray:
    """``k`` RDMs of ``n`` conditions from random patterns (no ties)."""
    return np.array([pdist(rng.normal(size=(n, 6)), metric) for _ in range(k)])


def tied_rdms(rng: np.random.Generator, k: int, n: int) -> np.ndarray:
    """``k`` model RDMs with many ties: same/different category, or distances between a few integer levels."""
    out = []
    for r in range(k):
        labels = rng.integers(0, 3 + r % 3, size=(n, 1)).astype(float)
        out.append(pdist(labels, "hamming") if r % 2 == 0 else pdist(labels, "cityblock"))
    return np.array(out)


def brute_tau_a(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall's tau-a by counting all pairs of entries (O(m^2))."""
    sx = np.sign(x[:, None] - x[None, :])
    sy = np.sign(y[:, None] - y[None, :])
    m = x.size
    return float(np.triu(sx * sy, 1).sum() / (m * (m - 1) / 2))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240611)


@pytest.fixture
def mixed(rng):
    """(a, b): 3 continuous + 2 tied RDMs against 2 continuous + 2 tied RDMs, 12 conditions (66 pairs)."""
    a = np.concatenate([continuous_rdms(rng, 3, 12), tied_rdms(rng, 2, 12)])
    b = np.concatenate([continuous_rdms(rng, 2, 12, "correlation"), tied_rdms(rng, 2, 12)])
    return a, b


@pytest.fixture
def make_continuous():
    """Factory: ``make_continuous(rng, k, n, metric)`` continuous RDMs."""
    return continuous_rdms


@pytest.fixture
def make_tied():
    """Factory: ``make_tied(rng, k, n)`` RDMs with many ties."""
    return tied_rdms


@pytest.fixture
def tau_a_brute():
    """``tau_a_brute(x, y)``: Kendall's tau-a by counting all pairs."""
    return brute_tau_a
