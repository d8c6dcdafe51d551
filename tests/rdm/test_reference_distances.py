"""Every distance against scipy's pdist or a closed form, at float64 precision."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.spatial.distance as ssd

from neuroalign.rdm import DISTANCES, compute_rdms, noise_precision

from rdm_helpers import make_ids

RTOL = 1e-10


def rdm(patterns, distance, **kwargs):
    return compute_rdms(patterns, distance, stimulus_ids=make_ids(len(patterns)), **kwargs).dissimilarities[0]


@pytest.mark.parametrize("name", ["correlation", "cosine", "euclidean", "sqeuclidean"])
def test_matches_scipy_pdist(rng, name):
    patterns = rng.normal(size=(15, 40)) + 3.0
    np.testing.assert_allclose(rdm(patterns, name), ssd.pdist(patterns, name), rtol=RTOL, atol=1e-13)


def test_mahalanobis_matches_scipy_with_a_full_precision(rng):
    patterns = rng.normal(size=(12, 8))
    precision = noise_precision(rng.normal(size=(50, 8)), "full")
    expected = ssd.pdist(patterns, "mahalanobis", VI=precision)
    np.testing.assert_allclose(rdm(patterns, "mahalanobis", noise=precision), expected, rtol=RTOL)
    np.testing.assert_allclose(rdm(patterns, "sqmahalanobis", noise=precision), expected ** 2, rtol=RTOL)


def test_mahalanobis_with_a_diagonal_precision_is_weighted_euclidean(rng):
    patterns = rng.normal(size=(10, 6))
    weights = rng.uniform(0.5, 2.0, size=6)
    expected = ssd.pdist(patterns * np.sqrt(weights), "sqeuclidean")
    np.testing.assert_allclose(rdm(patterns, "sqmahalanobis", noise=weights), expected, rtol=RTOL)
    np.testing.assert_allclose(rdm(patterns, "sqmahalanobis", noise=np.diag(weights)), expected, rtol=RTOL)


def test_mahalanobis_without_noise_is_euclidean(rng):
    patterns = rng.normal(size=(9, 5))
    np.testing.assert_allclose(rdm(patterns, "mahalanobis"), ssd.pdist(patterns), rtol=RTOL)


def test_poisson_closed_form(rng):
    rates = rng.gamma(2.0, size=(8, 30))
    prior_rates = (rates + 1.0 * 0.1) / 1.1  # the default prior, lambda 1 and weight 0.1
    expected = [np.sum((a - b) * (np.log(a) - np.log(b))) for a, b in _pairs(prior_rates)]
    np.testing.assert_allclose(rdm(rates, "poisson"), expected, rtol=RTOL)


def test_normalize_divides_squared_distances_by_the_channel_count(rng):
    patterns = rng.normal(size=(7, 25))
    sq = ssd.pdist(patterns, "sqeuclidean")
    np.testing.assert_allclose(rdm(patterns, "sqeuclidean", normalize=True), sq / 25, rtol=RTOL)
    np.testing.assert_allclose(rdm(patterns, "euclidean", normalize=True), np.sqrt(sq / 25), rtol=RTOL)


def test_correlation_is_exact_for_patterns_with_a_huge_offset(rng):
    """The per-row shift keeps precision where X X^T - r r^T / p would cancel catastrophically."""
    patterns = rng.normal(size=(10, 200)) + 1e8
    expected = ssd.pdist(patterns - patterns.mean(axis=1, keepdims=True), "correlation")
    np.testing.assert_allclose(rdm(patterns, "correlation"), expected, rtol=1e-8)
    np.testing.assert_allclose(rdm(patterns, "correlation", chunk_units=7), expected, rtol=1e-8)


def test_sqeuclidean_is_exact_for_patterns_with_a_huge_common_offset(rng):
    patterns = rng.normal(size=(10, 50)) + 1e9
    expected = ssd.pdist(patterns - 1e9, "sqeuclidean")
    np.testing.assert_allclose(rdm(patterns, "sqeuclidean", chunk_units=6), expected, rtol=1e-6)


def test_identical_patterns_have_zero_distance_not_rounding_noise(rng):
    row = rng.normal(size=30)
    patterns = np.stack([row, row, rng.normal(size=30)])
    for name in ("correlation", "cosine", "euclidean", "sqeuclidean"):
        assert rdm(patterns, name)[0] >= 0
        assert abs(rdm(patterns, name)[0]) < 1e-12


def test_float32_compute_is_close(rng):
    import torch

    patterns = rng.normal(size=(12, 64))
    np.testing.assert_allclose(rdm(patterns, "correlation", dtype=torch.float32), ssd.pdist(patterns, "correlation"),
                               rtol=1e-4, atol=1e-5)


def test_registry_names_are_stable():
    assert DISTANCES.names() == ["correlation", "cosine", "crossnobis", "euclidean", "mahalanobis", "poisson",
                                 "poisson_cv", "sqeuclidean", "sqmahalanobis"]


def test_measure_is_the_neuroalign_name(rng):
    patterns = rng.normal(size=(4, 3))
    assert compute_rdms(patterns, "sqeuclidean", stimulus_ids=make_ids(4)).distance == "sqeuclidean"


def test_inputs_are_not_mutated(rng):
    patterns = rng.normal(size=(6, 9)) + 5  # positive, so that Poisson takes it too
    before = patterns.copy()
    full = noise_precision(rng.normal(size=(30, 9)))
    diagonal = noise_precision(rng.normal(size=(30, 9)), "diag")
    kept = full.copy(), diagonal.copy()
    for name in ("correlation", "cosine", "sqeuclidean", "poisson"):
        compute_rdms(patterns, name, stimulus_ids=make_ids(6), chunk_units=4)
    compute_rdms(patterns, "sqmahalanobis", stimulus_ids=make_ids(6), noise=diagonal, chunk_units=4)
    compute_rdms(patterns, "sqmahalanobis", stimulus_ids=make_ids(6), noise=full)
    np.testing.assert_array_equal(patterns, before)
    np.testing.assert_array_equal(full, kept[0])
    np.testing.assert_array_equal(diagonal, kept[1])


def _pairs(rows):
    n = len(rows)
    return [(rows[i], rows[j]) for i in range(n) for j in range(i + 1, n)]
