"""Whitened cosine / Pearson: the V^-1 definition by brute force, and rsatoolbox's cosine_cov / corr_cov."""

from __future__ import annotations

import numpy as np
import pytest
from rsatoolbox.rdm.compare import compare as rsa_compare

from neuroalign.compare import (DegenerateRDMError, InvalidSigmaError, MissingPairsError, compare,
                                whitened_cosine, whitened_pearson)

N = 9  # conditions; 36 pairs


def _contrasts(n):
    rows, cols = np.triu_indices(n, 1)
    c = np.zeros((rows.size, n))
    c[np.arange(rows.size), rows] = 1.0
    c[np.arange(rows.size), cols] = -1.0
    return c


def _brute(a, b, sigma=None, present=None, centre=False):
    """``a V^-1 b^T`` normalised, with V = (C S C^T) o (C S C^T) built and inverted explicitly."""
    s = np.eye(N) if sigma is None else (np.diag(sigma) if np.ndim(sigma) == 1 else sigma)
    xi = _contrasts(N) @ s @ _contrasts(N).T
    keep = np.ones(a.shape[1], bool) if present is None else present
    v = (xi * xi)[np.ix_(keep, keep)]
    a, b = a[:, keep], b[:, keep]
    if centre:
        a, b = a - a.mean(1, keepdims=True), b - b.mean(1, keepdims=True)
    vi = np.linalg.inv(v)
    cross = a @ vi @ b.T
    return cross / np.sqrt(np.outer(np.einsum("ij,jk,ik->i", a, vi, a), np.einsum("ij,jk,ik->i", b, vi, b)))


@pytest.fixture
def ab(rng, make_continuous, make_tied):
    a = np.concatenate([make_continuous(rng, 3, N), make_tied(rng, 1, N)])
    b = np.concatenate([make_continuous(rng, 2, N, "correlation"), make_tied(rng, 2, N)])
    return a, b


@pytest.fixture
def full_sigma(rng):
    m = rng.normal(size=(N, N))
    return m @ m.T + N * np.eye(N)


@pytest.mark.parametrize("ours, theirs", [("whitened_cosine", "cosine_cov"), ("whitened_pearson", "corr_cov")])
def test_rsatoolbox_alias_agrees_without_sigma(ab, ours, theirs):
    a, b = ab
    np.testing.assert_allclose(compare(a, b, ours), rsa_compare(a, b, method=theirs), rtol=1e-10, atol=1e-14)
    np.testing.assert_array_equal(compare(a, b, theirs), compare(a, b, ours))


@pytest.mark.parametrize("sigma_kind", [None, "diagonal", "full"])
@pytest.mark.parametrize("centre", [False, True])
def test_equals_brute_force_v_inverse(ab, rng, full_sigma, sigma_kind, centre):
    a, b = ab
    sigma = {None: None, "diagonal": rng.uniform(0.5, 2.0, N), "full": full_sigma}[sigma_kind]
    function = whitened_pearson if centre else whitened_cosine
    np.testing.assert_allclose(function(a, b, sigma_k=sigma), _brute(a, b, sigma, centre=centre), rtol=1e-9,
                               atol=1e-12)


def test_full_sigma_agrees_with_rsatoolbox_up_to_its_iterative_solver(ab, full_sigma):
    a, b = ab  # rsatoolbox solves V x = d by conjugate gradients (default tolerance), hence the looser rtol
    np.testing.assert_allclose(whitened_cosine(a, b, sigma_k=full_sigma),
                               rsa_compare(a, b, method="cosine_cov", sigma_k=full_sigma), rtol=1e-4)


def test_rsatoolbox_1d_sigma_shortcut_differs_from_its_own_2d_path(ab, rng):
    """rsatoolbox divides the double-centred G by sqrt(s_i s_j) for a 1-D sigma_k but uses V^-1 for np.diag(s).

    neuroalign uses the V^-1 definition for both, so it matches rsatoolbox's 2-D path and not its 1-D shortcut.
    """
    a, b = ab
    s = rng.uniform(0.3, 3.0, N)
    ours_1d, ours_2d = whitened_cosine(a, b, sigma_k=s), whitened_cosine(a, b, sigma_k=np.diag(s))
    np.testing.assert_allclose(ours_1d, ours_2d, rtol=1e-12)
    np.testing.assert_allclose(ours_2d, rsa_compare(a, b, method="cosine_cov", sigma_k=np.diag(s)), rtol=1e-4)
    assert np.abs(rsa_compare(a, b, method="cosine_cov", sigma_k=s) - ours_1d).max() > 1e-3


@pytest.mark.parametrize("centre", [False, True])
def test_shared_missing_pairs_equal_v_inverse_of_present_pairs_and_rsatoolbox(ab, rng, centre):
    a, b = ab
    present = np.ones(a.shape[1], bool)
    present[[2, 11, 30]] = False
    a_nan, b_nan = np.where(present, a, np.nan), np.where(present, b, np.nan)
    function, theirs = (whitened_pearson, "corr_cov") if centre else (whitened_cosine, "cosine_cov")
    result = function(a_nan, b_nan)  # the same pairs are missing everywhere: exact under nan_policy="raise"
    np.testing.assert_allclose(result, _brute(a, b, present=present, centre=centre), rtol=1e-9)
    np.testing.assert_allclose(result, rsa_compare(a_nan, b_nan, method=theirs), rtol=1e-10)
    sigma = rng.uniform(0.5, 2.0, N)
    np.testing.assert_allclose(function(a_nan, b_nan, sigma_k=sigma),
                               _brute(a, b, sigma, present=present, centre=centre), rtol=1e-9)


def test_pairwise_missing_pairs_use_each_joint_subset(ab):
    a, b = ab
    a, b = a.copy(), b.copy()
    a[0, [1, 5]] = np.nan
    b[1, [5, 20]] = np.nan
    result = whitened_cosine(a, b, nan_policy="pairwise")
    for i in range(a.shape[0]):
        for j in range(b.shape[0]):
            joint = ~np.isnan(a[i]) & ~np.isnan(b[j])
            expected = _brute(np.nan_to_num(a[[i]]), np.nan_to_num(b[[j]]), present=joint)[0, 0]
            assert result[i, j] == pytest.approx(expected, rel=1e-9)


def test_self_comparison_is_symmetric_with_unit_diagonal(ab):
    a, _ = ab
    for function in (whitened_cosine, whitened_pearson):
        r = function(a)
        np.testing.assert_allclose(r, r.T, rtol=1e-14)
        np.testing.assert_allclose(np.diag(r), 1.0, rtol=1e-14)


def test_sigma_scale_does_not_matter(ab, full_sigma):
    a, b = ab
    np.testing.assert_allclose(whitened_cosine(a, b, sigma_k=full_sigma),
                               whitened_cosine(a, b, sigma_k=7.5 * full_sigma), rtol=1e-12)


def test_constant_rdm_is_degenerate_under_whitened_pearson(ab):
    a, b = ab
    b = b.copy()
    b[1] = 2.0
    with pytest.raises(DegenerateRDMError, match="RDM 1 of b"):
        whitened_pearson(a, b)
    assert np.isfinite(whitened_cosine(a, b)).all()  # a constant RDM is fine for the cosine


def test_zero_rdm_is_degenerate_under_whitened_cosine(ab):
    a, b = ab
    with pytest.raises(DegenerateRDMError, match="RDM 0 of b"):
        whitened_cosine(a, np.zeros_like(b))


@pytest.mark.parametrize("sigma, message", [
    (np.ones(N - 1), "shape"),
    (-np.ones(N), "positive"),
    (np.ones((N, N)), "positive definite"),
    (np.triu(np.ones((N, N))), "symmetric"),
])
def test_invalid_sigma_raises(ab, sigma, message):
    a, b = ab
    with pytest.raises(InvalidSigmaError, match=message):
        whitened_cosine(a, b, sigma_k=sigma)


def test_full_sigma_with_missing_pairs_raises(ab, full_sigma):
    a, b = ab
    a_nan, b_nan = a.copy(), b.copy()
    a_nan[:, 3] = np.nan
    b_nan[:, 3] = np.nan
    with pytest.raises(MissingPairsError, match="non-diagonal sigma_k"):
        whitened_cosine(a_nan, b_nan, sigma_k=full_sigma)


def test_non_triangular_length_raises(rng):
    from neuroalign.errors import InvalidRDMError

    with pytest.raises(InvalidRDMError, match="n\\*\\(n-1\\)/2"):
        whitened_cosine(rng.normal(size=(2, 7)))
