"""Sensor x time cluster tests: a planted patch is found, noise gives none, masks equal a direct MNE call."""

from __future__ import annotations

import mne
import numpy as np
import pytest

from neuroalign.analysis import ClusterTestError
from neuroalign.analysis.clusters import channel_adjacency, cluster_test_sensors_time

N_SUBJECTS, N_TIMES = 14, 40
WINDOW = slice(15, 27)


@pytest.fixture(scope="module")
def info():
    montage = mne.channels.make_standard_montage("biosemi32")
    info = mne.create_info(montage.ch_names, 100.0, "eeg")
    info.set_montage(montage)
    return info


@pytest.fixture(scope="module")
def patch(info):
    """A channel and its neighbours (from MNE's adjacency): where the effect is planted."""
    adjacency = channel_adjacency(info, "eeg").toarray()
    centre = info["ch_names"].index("Cz")
    return np.flatnonzero(adjacency[centre] | (np.arange(len(adjacency)) == centre))


def _scores(seed, channels=(), effect=0.0):
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=(N_SUBJECTS, 32, N_TIMES))
    scores[:, np.asarray(channels, dtype=int)[:, None], WINDOW] += effect
    return scores


def test_planted_patch_is_found(info, patch):
    scores = _scores(0, patch, effect=1.5)
    before = scores.copy()
    times = np.arange(N_TIMES) / 100.0 - 0.1
    result = cluster_test_sensors_time(scores, info, times, ch_type="eeg", n_permutations=200, seed=1)
    significant = result.significant()
    assert len(significant) == 1
    cluster = significant[0]
    assert cluster.p_value < 0.05 and cluster.mass > 0
    planted = np.zeros((32, N_TIMES), dtype=bool)
    planted[patch[:, None], WINDOW] = True
    # Noise points above the threshold next to the patch join it, so the cluster covers the planted points and
    # is mostly made of them, without matching them exactly.
    assert (cluster.mask & planted).sum() >= 0.9 * planted.sum()
    assert (cluster.mask & planted).sum() >= 0.6 * cluster.mask.sum()
    assert WINDOW.start - 3 <= cluster.start <= WINDOW.start and WINDOW.stop <= cluster.stop <= WINDOW.stop + 3
    assert (cluster.tmin, cluster.tmax) == (times[cluster.start], times[cluster.stop - 1])
    assert cluster.channels == tuple(info["ch_names"][c] for c in cluster.channel_indices)
    assert cluster.mass == pytest.approx(result.t_values[cluster.mask].sum())
    assert result.t_values.shape == (32, N_TIMES)
    np.testing.assert_array_equal(scores, before)


def test_noise_gives_no_significant_cluster(info):
    result = cluster_test_sensors_time(_scores(3), info, ch_type="eeg", n_permutations=200, seed=2)
    assert result.significant() == ()
    assert not result.mask().any()


def test_mask_equals_a_direct_mne_call(info, patch):
    scores = _scores(5, patch, effect=1.0)
    result = cluster_test_sensors_time(scores, info, ch_type="eeg", n_permutations=200, seed=4)
    adjacency, names = mne.channels.find_ch_adjacency(info, "eeg")
    assert names == info["ch_names"]
    t_obs, clusters, p_values, _ = mne.stats.spatio_temporal_cluster_1samp_test(
        scores.transpose(0, 2, 1), adjacency=adjacency, n_permutations=200, tail=1, rng=4, out_type="mask",
        verbose=False)
    expected = np.zeros((N_TIMES, 32), dtype=bool)
    for mask, p in zip(clusters, p_values):
        if p < 0.05:
            expected |= mask
    assert expected.any()
    np.testing.assert_array_equal(result.mask(), expected.T)
    np.testing.assert_allclose(result.t_values, t_obs.T, rtol=0, atol=1e-12)
    assert sorted(c.p_value for c in result.clusters) == sorted(p_values.tolist())


@pytest.mark.parametrize("shape, times, match", [
    ((N_SUBJECTS, 31, N_TIMES), None, "scores have 31 channels but the info has 32"),
    ((N_SUBJECTS, 32, N_TIMES), np.arange(N_TIMES - 1), f"one entry per time sample of scores \\({N_TIMES}\\)"),
    ((N_SUBJECTS, 32), None, "must be 3-D"),
    ((1, 32, N_TIMES), None, "n_observations >= 2"),
])
def test_bad_input(info, shape, times, match):
    with pytest.raises(ClusterTestError, match=match):
        cluster_test_sensors_time(np.zeros(shape), info, times)


def test_adjacency_must_cover_the_info(info):
    mixed = mne.create_info([*info["ch_names"], "EOG1"], 100.0, ["eeg"] * 32 + ["eog"])
    mixed.set_montage(mne.channels.make_standard_montage("biosemi32"))
    with pytest.raises(ClusterTestError, match="covers 32 of the info's 33 channels"):
        cluster_test_sensors_time(np.zeros((3, 33, 5)), mixed, ch_type="eeg")
