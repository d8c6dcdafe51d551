"""Permutation nulls for RDM comparisons and registered metrics, against brute force."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.compare import compare
from neuroalign.core.condensed import condensed_to_square, square_to_condensed
from neuroalign.errors import InvalidOptionError
from neuroalign.metrics import get_metric
from neuroalign.metrics import permutation_test_metric
from neuroalign.stats import permutation_p_value, permutation_test_rdm
from neuroalign.stats.resample import draw_permutations, permuted_pair_index

N = 8
M = N * (N - 1) // 2


@pytest.fixture
def rdms():
    rng = np.random.default_rng(1)
    truth = rng.random(M)
    return np.stack([truth + 0.3 * rng.random(M), rng.random(M)]), truth + 0.5 * rng.random((3, M))


def test_p_value_closed_form():
    null = np.array([[0.1], [0.5], [0.3], [0.5]])
    assert permutation_p_value(np.array([0.5]), null)[0] == pytest.approx(3 / 5)
    assert permutation_p_value(np.array([0.05]), null, larger_is_better=False)[0] == pytest.approx(1 / 5)


def test_permuted_index_relabels_rows_and_columns():
    perms = draw_permutations(np.random.default_rng(0), 5, N)
    values = np.random.default_rng(1).random(M)
    square = condensed_to_square(values)
    for perm, index in zip(perms, permuted_pair_index(perms)):
        np.testing.assert_array_equal(values[index], square_to_condensed(square[np.ix_(perm, perm)]))


def test_rdm_null_matches_brute_force_and_is_paired(rdms):
    models, data = rdms
    result = permutation_test_rdm(models, data, "spearman", n_perm=30, seed=7, batch_size=4)
    perms = draw_permutations(np.random.default_rng(7), 30, N)
    for k, perm in enumerate(perms):
        permuted = square_to_condensed(condensed_to_square(data)[:, perm][:, :, perm])
        np.testing.assert_allclose(result.null[k], compare(models, permuted, "spearman").mean(axis=1), atol=1e-12)
    alone = permutation_test_rdm(models[1:], data, "spearman", n_perm=30, seed=7)
    np.testing.assert_allclose(alone.null[:, 0], result.null[:, 1], atol=1e-12)  # same permutations for every model
    np.testing.assert_allclose(result.calibrated, result.observed - result.null.mean(axis=0))
    np.testing.assert_allclose(result.p_values, (1 + (result.null >= result.observed).sum(0)) / 31)


def test_rdm_dissimilarity_comparator_counts_small_values(rdms):
    models, data = rdms
    result = permutation_test_rdm(models, data, "pearson", n_perm=5, seed=0)
    assert result.larger_is_better
    assert permutation_test_rdm(np.abs(models), np.abs(data), "sqbures", n_perm=5, seed=0).larger_is_better is False


def test_metric_null_matches_brute_force():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(12, 4)), rng.normal(size=(12, 3))
    before = y.copy()
    result = permutation_test_metric([x, 2 * x], y, "cka.linear", n_perm=15, seed=3)
    measure = get_metric("cka.linear")
    for k, perm in enumerate(draw_permutations(np.random.default_rng(3), 15, 12)):
        assert result.null[k, 0] == pytest.approx(measure(x, y[perm]), abs=1e-12)
    np.testing.assert_allclose(result.null[:, 0], result.null[:, 1], atol=1e-12)  # CKA is scale-invariant
    np.testing.assert_array_equal(y, before)
    summary = result.null_summary(0)
    assert summary["n_permutations"] == 15 and summary["p_value"] == result.p_values[0]


def test_single_model_and_bad_input():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(10, 3))
    assert permutation_test_metric(x, x, "cka.linear", n_perm=9, seed=0).p_values[0] == pytest.approx(0.1)
    with pytest.raises(InvalidOptionError, match="n_perm"):
        permutation_test_metric(x, x, "cka.linear", n_perm=0)
    with pytest.raises(ValueError, match="stimuli"):
        permutation_test_metric(x[:5], x, "cka.linear", n_perm=3)
