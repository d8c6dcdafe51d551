"""Sensor searchlight on the real SSVEP EEG: per-neighbourhood direct computations, MNE objects, bad channels."""

from __future__ import annotations

import mne
import numpy as np
import pytest
from scipy.spatial.distance import pdist

from neuroalign.analysis import sensor_searchlight_rsa
from neuroalign.compare import compare
from neuroalign.core.recording import Recording
from neuroalign.datasets import load_dataset
from neuroalign.errors import ShapeMismatchError

pytestmark = pytest.mark.realdata
DATASET = "ssvep_eeg_64ch"


@pytest.fixture(scope="module")
def eeg(data_mirror):
    info = mne.read_epochs(data_mirror / DATASET / "example-epo.fif", verbose="error").info
    trials, = load_dataset(DATASET, mirror=data_mirror).recordings(level="trial", tmin=0.0, tmax=2.0, decim=16)
    labels = np.array([s.split("/")[0] for s in trials.stimulus_ids])
    model = pdist((labels[:, None] == "2xx").astype(float), "cityblock")  # 1 between conditions, 0 within
    return trials, info, model


def test_values_equal_direct_per_neighbourhood(eeg):
    trials, info, model = eeg
    result = sensor_searchlight_rsa(trials, info, model, ch_type="eeg", window=4, step=2)
    assert result.values.shape == (1, 64, 15) and np.isfinite(result.values).all()
    adjacency, names = mne.channels.find_ch_adjacency(info, "eeg")
    adjacency = adjacency.toarray()
    rng = np.random.default_rng(0)
    for c in rng.choice(64, 8, replace=False):
        channel = trials.channels[c]
        row = names.index(channel)
        neighbours = {names[k] for k in np.flatnonzero(adjacency[row])} | {channel}
        columns = [k for k, name in enumerate(trials.channels) if name in neighbours]
        np.testing.assert_array_equal(result.neighbourhoods[c].indices, columns)
        for w in rng.choice(15, 3, replace=False):
            patterns = trials.data[:, columns, 2 * w:2 * w + 4].mean(-1)
            direct = compare(model, pdist(patterns, "correlation"), "spearman")[0, 0]
            assert result.values[0, c, w] == pytest.approx(direct, abs=1e-12)


def test_results_as_evoked(eeg):
    trials, info, model = eeg
    result = sensor_searchlight_rsa(trials, info, np.stack([model, model[::-1]]), ch_type="eeg", window=4,
                                    step=2)
    evokeds = result.to_evoked()
    assert len(evokeds) == 2 and evokeds[1].ch_names == list(trials.channels)
    np.testing.assert_allclose(evokeds[0].times, result.times, atol=1e-9)
    np.testing.assert_allclose(evokeds[1].data, result.values[1])
    positions = np.array([ch["loc"][:3] for ch in evokeds[0].info["chs"]])
    expected = np.array([info["chs"][info["ch_names"].index(n)]["loc"][:3] for n in trials.channels])
    np.testing.assert_array_equal(positions, expected)


def test_channel_missing_from_the_info(eeg):
    trials, info, model = eeg
    renamed = Recording(trials.data, trials.stimulus_ids, dims=trials.dims, times=trials.times,
                        channels=["X1", *trials.channels[1:]])
    with pytest.raises(ShapeMismatchError, match=r"must be in the measurement info; missing: \['X1'\]"):
        sensor_searchlight_rsa(renamed, info, model)
