"""Kendall's tau-a: brute force, scipy's tau-b converted to tau-a, and rsatoolbox's "tau-a"."""

from __future__ import annotations

import numpy as np
import pytest
from rsatoolbox.rdm.compare import compare as rsa_compare
from scipy.stats import kendalltau

from neuroalign.compare import compare, kendall_tau_a


def _tie_pairs(x):
    _, counts = np.unique(x, return_counts=True)
    return int((counts * (counts - 1) // 2).sum())


def _tau_a_from_scipy(x, y):
    """tau_b = S / sqrt((n0 - n1)(n0 - n2)) and tau_a = S / n0, with n1, n2 the pairs tied in x, in y."""
    n0 = x.size * (x.size - 1) / 2
    tau_b = kendalltau(x, y, variant="b")[0]
    return tau_b * np.sqrt((n0 - _tie_pairs(x)) * (n0 - _tie_pairs(y))) / n0


def test_tau_a_equals_brute_force_with_ties(mixed, tau_a_brute):
    a, b = mixed
    expected = np.array([[tau_a_brute(x, y) for y in b] for x in a])
    np.testing.assert_allclose(kendall_tau_a(a, b), expected, rtol=1e-13, atol=1e-15)


def test_tau_a_equals_scipy_tau_b_converted(mixed):
    a, b = mixed
    expected = np.array([[_tau_a_from_scipy(x, y) for y in b] for x in a])
    np.testing.assert_allclose(kendall_tau_a(a, b), expected, rtol=1e-10, atol=1e-14)


def test_tau_a_equals_rsatoolbox_tau_a_on_larger_rdms(rng, make_continuous, make_tied):
    a = np.concatenate([make_continuous(rng, 2, 60), make_tied(rng, 2, 60)])
    b = np.concatenate([make_tied(rng, 3, 60), make_continuous(rng, 1, 60)])
    np.testing.assert_allclose(compare(a, b, "kendall_tau_a"), rsa_compare(a, b, method="tau-a"), rtol=1e-12,
                               atol=1e-15)


def test_self_comparison_is_symmetric_and_counts_own_ties(mixed):
    a, _ = mixed
    tau = kendall_tau_a(a)
    np.testing.assert_array_equal(tau, tau.T)
    m = a.shape[1]
    expected_diag = [1 - _tie_pairs(x) / (m * (m - 1) / 2) for x in a]  # tied pairs count neither way
    np.testing.assert_allclose(np.diag(tau), expected_diag, rtol=1e-14)


def test_constant_rdm_gives_zero(mixed):
    a, _ = mixed
    assert np.all(kendall_tau_a(np.full(a.shape[1], 2.0), a) == 0)


@pytest.mark.parametrize("n", [3, 4])
def test_tiny_rdms(n, rng, make_continuous, make_tied, tau_a_brute):
    a, b = make_tied(rng, 2, n), make_continuous(rng, 2, n)
    expected = np.array([[tau_a_brute(x, y) for y in b] for x in a])
    np.testing.assert_allclose(kendall_tau_a(a, b), expected, atol=1e-15)


def test_parallel_and_one_thread_kernels_agree_with_scipy():
    """Little work runs on one thread (a parallel launch costs more than a few pairs); many pairs in parallel.
    Both paths give scipy's tau-b numerator on untied data, with categorical (tied) rows mixed in."""
    from neuroalign.compare import kendall as kendall_module

    rng = np.random.default_rng(7)
    a, b = rng.random((6, 20_000)), rng.random((9, 20_000))
    b[:3] = np.round(b[:3] * 4)
    assert a.shape[0] * b.shape[0] * a.shape[1] >= kendall_module._PARALLEL_MIN_WORK  # the parallel kernel
    many = kendall_tau_a(a, b)
    single = np.array([[kendall_tau_a(x, y)[0, 0] for y in b] for x in a[:2]])  # the one-thread kernel
    np.testing.assert_array_equal(many[:2], single)
    # untied rows: tau-a equals scipy's tau (tau-b, whose denominator is then m (m - 1) / 2)
    assert many[0, 5] == pytest.approx(kendalltau(a[0], b[5]).statistic, abs=1e-12)
