"""Crossnobis: the definition by hand, unbiasedness, negative values kept, and memory that does not grow as p^2."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from neuroalign.rdm import compute_rdms

from rdm_helpers import run_recording


def by_hand(patterns, precision=None):
    """Mean over ordered pairs of distinct runs of (x_i^r - x_j^r)^T P (x_i^s - x_j^s)."""
    runs, n, p = patterns.shape
    out = []
    for i in range(n):
        for j in range(i + 1, n):
            diffs = patterns[:, i] - patterns[:, j]
            weighted = diffs if precision is None else diffs @ precision
            out.append(np.mean([weighted[r] @ diffs[s] for r in range(runs) for s in range(runs) if r != s]))
    return np.array(out)


def crossnobis(patterns, **kwargs):
    return compute_rdms(run_recording(patterns), "crossnobis", **kwargs).dissimilarities[0]


@pytest.mark.parametrize("runs", [2, 3, 4, 6])
def test_definition_by_hand(rng, runs):
    patterns = rng.normal(size=(runs, 6, 9)) + 4.0
    precision = np.cov(rng.normal(size=(9, 40)))
    precision = np.linalg.inv(precision)
    np.testing.assert_allclose(crossnobis(patterns), by_hand(patterns), rtol=1e-10)
    np.testing.assert_allclose(crossnobis(patterns, noise=precision), by_hand(patterns, precision), rtol=1e-10)
    weights = rng.uniform(0.5, 2, size=9)
    np.testing.assert_allclose(crossnobis(patterns, noise=weights, chunk_units=4), by_hand(patterns, np.diag(weights)),
                               rtol=1e-10)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(2, 5), st.integers(2, 6), st.integers(1, 8)),
              elements=st.floats(-100, 100, allow_nan=False, allow_infinity=False)),
       st.integers(1, 8))
def test_property_definition_for_any_data_and_chunking(patterns, chunk):
    expected = by_hand(patterns)
    scale = max(1.0, float(np.abs(patterns).max()) ** 2 * patterns.shape[2])
    np.testing.assert_allclose(crossnobis(patterns, chunk_units=chunk), expected, rtol=1e-9, atol=1e-12 * scale)


def test_unbiased_for_identical_true_patterns_and_may_be_negative():
    """Identical true patterns plus independent noise per run: the mean estimate is ~0, single draws go negative."""
    rng = np.random.default_rng(7)
    draws, runs, n, p = 400, 3, 5, 20
    truth = np.tile(rng.normal(size=p), (n, 1))  # every stimulus has the same true pattern
    estimates = np.stack([crossnobis(truth + rng.normal(size=(runs, n, p))) for _ in range(draws)])
    mean, sem = estimates.mean(axis=0), estimates.std(axis=0, ddof=1) / np.sqrt(draws)
    assert np.all(np.abs(mean) < 4 * sem)
    assert (estimates < 0).mean() > 0.3
    # The run-averaged squared euclidean distance of the same data is biased upward by the noise.
    biased = compute_rdms(run_recording(truth + rng.normal(size=(runs, n, p))), "sqeuclidean").dissimilarities
    assert biased.min() > 0


def test_negative_estimates_are_returned_not_rooted_or_clipped(rng):
    patterns = np.tile(rng.normal(size=(1, 4, 10)), (2, 1, 1)) + rng.normal(size=(2, 4, 10))
    values = crossnobis(patterns)
    assert np.isfinite(values).all()
    np.testing.assert_allclose(values, by_hand(patterns), rtol=1e-10)


def test_noise_free_runs_give_the_squared_euclidean_distance(rng):
    pattern = rng.normal(size=(1, 7, 11))
    expected = compute_rdms(run_recording(pattern[0][None]), "sqeuclidean").dissimilarities[0]
    np.testing.assert_allclose(crossnobis(np.repeat(pattern, 3, axis=0)), expected, rtol=1e-10)


def test_without_noise_no_channels_by_channels_matrix_is_built(rng):
    """200,000 channels: an identity precision would need 320 GB; the Gram route needs a few MB."""
    patterns = rng.normal(size=(2, 4, 200_000)).astype(np.float32)
    np.testing.assert_allclose(crossnobis(patterns), by_hand(patterns.astype(np.float64)), rtol=1e-9, atol=1e-6)
