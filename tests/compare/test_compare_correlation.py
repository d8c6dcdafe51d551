"""Pearson, cosine, Spearman and rho-a against scipy and rsatoolbox at float64 precision, ties included."""

from __future__ import annotations

import numpy as np
import pytest
from rsatoolbox.rdm.compare import compare as rsa_compare
from scipy.stats import pearsonr, rankdata, spearmanr

from neuroalign.compare import DegenerateRDMError, compare, cosine, pearson, rho_a, spearman

RTOL = 1e-10


def _pairwise(f, a, b):
    return np.array([[f(x, y) for y in b] for x in a])


def _rho_a_formula(x, y):
    m = x.size
    rx, ry = rankdata(x) - (m + 1) / 2, rankdata(y) - (m + 1) / 2
    return 12 * np.sum(rx * ry) / (m**3 - m)


def test_pearson_equals_scipy_pearsonr(mixed):
    a, b = mixed
    np.testing.assert_allclose(pearson(a, b), _pairwise(lambda x, y: pearsonr(x, y)[0], a, b), rtol=RTOL, atol=1e-14)


def test_spearman_equals_scipy_spearmanr_with_ties(mixed):
    a, b = mixed
    expected = _pairwise(lambda x, y: spearmanr(x, y)[0], a, b)
    np.testing.assert_allclose(spearman(a, b), expected, rtol=RTOL, atol=1e-14)


def test_cosine_equals_its_formula(mixed):
    a, b = mixed
    expected = _pairwise(lambda x, y: x @ y / np.sqrt(x @ x * (y @ y)), a, b)
    np.testing.assert_allclose(cosine(a, b), expected, rtol=RTOL)


def test_rho_a_equals_its_formula_with_ties(mixed):
    a, b = mixed
    np.testing.assert_allclose(rho_a(a, b), _pairwise(_rho_a_formula, a, b), rtol=RTOL, atol=1e-14)


@pytest.mark.parametrize("ours, theirs", [("pearson", "corr"), ("cosine", "cosine"), ("spearman", "spearman"),
                                          ("rho_a", "rho-a")])
def test_rsatoolbox_alias_agrees_many_vs_many(mixed, ours, theirs):
    a, b = mixed
    result = compare(a, b, ours)
    assert result.shape == (a.shape[0], b.shape[0])
    np.testing.assert_allclose(result, rsa_compare(a, b, method=theirs), rtol=RTOL, atol=1e-14)
    np.testing.assert_array_equal(compare(a, b, theirs), result)


def test_rho_a_equals_spearman_without_ties(rng, make_continuous):
    a, b = make_continuous(rng, 3, 10), make_continuous(rng, 2, 10)
    np.testing.assert_allclose(rho_a(a, b), spearman(a, b), rtol=1e-12)


def test_rho_a_is_below_spearman_in_magnitude_with_ties(mixed):
    a, b = mixed
    assert (np.abs(rho_a(a, b)) <= np.abs(spearman(a, b)) + 1e-15).all()


@pytest.mark.parametrize("function", [pearson, spearman])
def test_constant_rdm_raises_naming_it(function, mixed):
    a, b = mixed
    b = b.copy()
    b[1] = 0.7
    with pytest.raises(DegenerateRDMError, match="RDM 1 of b is constant"):
        function(a, b)


def test_all_zero_rdm_raises_under_cosine(mixed):
    a, _ = mixed
    a = a.copy()
    a[2] = 0.0
    with pytest.raises(DegenerateRDMError, match="RDM 2 of a is all zeros"):
        cosine(a)


def test_constant_rdm_gives_zero_under_rho_a(mixed):
    a, _ = mixed
    assert np.all(rho_a(np.full(a.shape[1], 3.0), a) == 0)


@pytest.mark.parametrize("function", [pearson, cosine, spearman, rho_a])
def test_torch_device_matches_numpy(function, mixed):
    a, b = mixed
    np.testing.assert_allclose(function(a, b, device="cpu"), function(a, b), rtol=1e-13, atol=1e-15)


def test_self_comparison_has_unit_diagonal(mixed):
    a, _ = mixed
    for f in (pearson, cosine, spearman):
        np.testing.assert_allclose(np.diag(f(a)), 1.0, rtol=1e-14)
