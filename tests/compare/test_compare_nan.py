"""Missing pairs: shared positions dropped exactly, pairwise deletion per RDM pair, and no leaking masks."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import pearsonr, rankdata, spearmanr

from neuroalign.compare import (COMPARATORS, DegenerateRDMError, MissingPairsError, compare, cosine, kendall_tau_a,
                                pearson, rho_a, spearman)

MISSING_AWARE = [name for name in COMPARATORS.names() if COMPARATORS.get(name).pairwise_missing]


def _rho_a(x, y):
    m = x.size
    return 12 * np.sum((rankdata(x) - (m + 1) / 2) * (rankdata(y) - (m + 1) / 2)) / (m**3 - m)


@pytest.fixture
def holes(mixed, rng):
    """``mixed`` with NaNs at different positions in some RDMs; rows 1 and 2 of a and row 0 of b stay complete."""
    a, b = (x.copy() for x in mixed)
    a[0, rng.choice(a.shape[1], 9, replace=False)] = np.nan
    a[3, rng.choice(a.shape[1], 4, replace=False)] = np.nan
    b[1, rng.choice(b.shape[1], 7, replace=False)] = np.nan
    b[3, :5] = np.nan
    return a, b


def _per_pair(f, a, b):
    out = np.empty((a.shape[0], b.shape[0]))
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            joint = ~np.isnan(x) & ~np.isnan(y)
            out[i, j] = f(x[joint], y[joint])
    return out


@pytest.mark.parametrize("function, reference", [
    (pearson, lambda x, y: pearsonr(x, y)[0]),
    (spearman, lambda x, y: spearmanr(x, y)[0]),
    (cosine, lambda x, y: x @ y / np.sqrt(x @ x * (y @ y))),
    (rho_a, _rho_a),
])
def test_pairwise_deletion_equals_scipy_on_each_joint_subset(holes, function, reference):
    a, b = holes
    np.testing.assert_allclose(function(a, b, nan_policy="pairwise"), _per_pair(reference, a, b), rtol=1e-10,
                               atol=1e-14)


def test_pairwise_tau_a_equals_brute_force(holes, tau_a_brute):
    a, b = holes
    np.testing.assert_allclose(kendall_tau_a(a, b, nan_policy="pairwise"), _per_pair(tau_a_brute, a, b),
                               rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("method", MISSING_AWARE)
def test_a_mask_never_leaks_into_other_comparisons(holes, mixed, method):
    """mne-rsa's ignore_nan accumulated masks across RDMs; here the complete rows must not notice the others."""
    a, b = holes
    full_a, full_b = [1, 2], [0, 2]
    result = compare(a, b, method, nan_policy="pairwise")
    np.testing.assert_allclose(result[np.ix_(full_a, full_b)], compare(mixed[0][full_a], mixed[1][full_b], method),
                               rtol=1e-12, atol=1e-15)
    # and each incomplete pair depends on its own two RDMs only
    np.testing.assert_allclose(result[0, 1], compare(a[0], b[1], method, nan_policy="pairwise")[0, 0], rtol=1e-12)
    reversed_rows = compare(a[::-1], b[::-1], method, nan_policy="pairwise")
    np.testing.assert_allclose(reversed_rows, result[::-1, ::-1], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("method", MISSING_AWARE)
def test_shared_missing_positions_are_dropped_exactly_under_raise(mixed, method):
    a, b = mixed
    present = np.ones(a.shape[1], bool)
    present[[0, 7, 40]] = False
    a_nan, b_nan = np.where(present, a, np.nan), np.where(present, b, np.nan)
    result = compare(a_nan, b_nan, method)
    np.testing.assert_array_equal(result, compare(a_nan, b_nan, method, nan_policy="pairwise"))
    if not method.startswith("whitened"):  # whitening depends on which pairs they are, not only on the values
        np.testing.assert_allclose(result, compare(a[:, present], b[:, present], method), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("method", MISSING_AWARE)
def test_differing_missing_positions_raise_naming_the_rdms(holes, method):
    a, b = holes
    with pytest.raises(MissingPairsError, match=r"RDM 0 of a misses 9.*RDM 1 of b misses 7.*nan_policy='pairwise'"):
        compare(a, b, method)


@pytest.mark.parametrize("method", MISSING_AWARE)
def test_pairwise_self_comparison_is_symmetric(holes, method):
    a, _ = holes
    result = compare(a, comparator=method, nan_policy="pairwise")
    np.testing.assert_allclose(result, result.T, rtol=1e-12)
    np.testing.assert_allclose(result, compare(a, a, method, nan_policy="pairwise"), rtol=1e-12, atol=1e-15)


def test_pearson_pairwise_falls_back_when_sums_cancel(rng):
    """A joint subset with a huge offset and tiny spread defeats the sums formula; the exact path takes over."""
    base = np.r_[1e9 + rng.normal(size=30) * 1e-3, rng.normal(size=30)]
    a = np.vstack([base, base + rng.normal(size=60) * 1e-4])
    b = a[::-1].copy()
    a[0, 30:] = np.nan
    expected = _per_pair(lambda x, y: pearsonr(x, y)[0], a, b)
    np.testing.assert_allclose(pearson(a, b, nan_policy="pairwise"), expected, rtol=1e-8)


def test_constant_on_the_joint_subset_raises_naming_both(rng):
    x = np.r_[np.ones(5), rng.normal(size=5)]
    y = np.r_[rng.normal(size=5), np.full(5, np.nan)]
    for function in (pearson, spearman):
        with pytest.raises(DegenerateRDMError, match="RDM 0 of a .compared with RDM 0 of b on the 5 pairs"):
            function(x, y, nan_policy="pairwise")


def test_too_few_joint_pairs_raise():
    x = np.array([1.0, 2.0, np.nan, np.nan])
    y = np.array([np.nan, 1.0, 2.0, 3.0])
    with pytest.raises(MissingPairsError, match="leaves 1 pair"):
        spearman(x, y, nan_policy="pairwise")


def test_unknown_policy_raises(mixed):
    with pytest.raises(ValueError, match="nan_policy must be one of"):
        compare(*mixed, "pearson", nan_policy="omit")
