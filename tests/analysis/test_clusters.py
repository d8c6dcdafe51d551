"""Cluster permutation tests over time: a planted window is found, noise gives no significant cluster."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.analysis import ClusterTestError, cluster_test_over_time


def _scores(seed, effect=0.0, window=slice(30, 50), n_subjects=15, n_times=100):
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=(n_subjects, n_times))
    scores[:, window] += effect
    return scores


def test_planted_window_is_found():
    scores = _scores(0, effect=1.5)
    before = scores.copy()
    times = np.linspace(-0.2, 0.79, 100)
    result = cluster_test_over_time(scores, times, n_permutations=500, seed=1)
    significant = result.significant()
    assert len(significant) == 1
    cluster = significant[0]
    assert 28 <= cluster.start <= 32 and 48 <= cluster.stop <= 52 and cluster.p_value < 0.01
    assert cluster.tmin == pytest.approx(times[cluster.start])
    assert cluster.tmax == pytest.approx(times[cluster.stop - 1])
    assert result.t_values.shape == (100,) and cluster.statistic > 0
    np.testing.assert_array_equal(scores, before)


def test_noise_gives_no_significant_cluster():
    result = cluster_test_over_time(_scores(3), n_permutations=500, seed=2)
    assert result.significant() == ()
    assert all(c.p_value >= 0.05 for c in result.clusters)


def test_seeded_results_repeat():
    first = cluster_test_over_time(_scores(4, effect=0.8), n_permutations=200, seed=5)
    second = cluster_test_over_time(_scores(4, effect=0.8), n_permutations=200, seed=5)
    assert first.clusters == second.clusters


@pytest.mark.parametrize("scores, times, match", [
    (np.zeros((1, 5)), None, "n_observations >= 2"),
    (np.zeros(5), None, "must be 2-D"),
    (np.zeros((3, 5)), np.arange(4), "one entry per column of scores \\(5\\)"),
    (np.full((3, 5), np.nan), None, "finite"),
])
def test_bad_input(scores, times, match):
    with pytest.raises(ClusterTestError, match=match):
        cluster_test_over_time(scores, times)
