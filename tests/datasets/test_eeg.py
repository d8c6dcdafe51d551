"""The SSVEP EEG epochs on the real file: time-resolved recordings, trials kept, conditions checked."""

from __future__ import annotations

import mne
import numpy as np
import pytest

from neuroalign.datasets.errors import DataFormatError

from neuroalign.datasets import ConditionMismatchError, load_dataset
from neuroalign.datasets.loaders.meeg import epochs_recording, evoked_recording
from neuroalign.rdm import compute_rdms

DATASET = "ssvep_eeg_64ch"


@pytest.fixture(scope="module")
def epochs(data_mirror):
    return mne.read_epochs(data_mirror / DATASET / "example-epo.fif", verbose="error")


@pytest.fixture(scope="module")
def eeg(data_mirror):
    return load_dataset(DATASET, mirror=data_mirror)


def test_condition_level_keeps_each_trial_on_the_run_axis(eeg, epochs):
    recording, = eeg.recordings(subject="example")
    assert recording.dims == ("run", "stimulus", "channel", "time")
    assert recording.stimulus_ids == ("1xx", "2xx") and recording.n_runs == 8 and recording.n_channels == 64
    assert recording.n_times == 4096 and recording.descriptors["modality"] == "eeg"
    assert list(recording.channels) == epochs.ch_names
    # the 3rd trial of condition 2xx is the 3rd epoch with a 2xx event code
    third = np.flatnonzero(epochs.events[:, 2] // 100 == 2)[2]
    np.testing.assert_array_equal(recording.patterns()[2, 1], epochs.get_data()[third])
    assert list(eeg.stimulus_set().metadata["first_code"]) == [100, 200]


def test_picks_window_and_decimation_leave_the_epochs_untouched(epochs):
    codes = {"1xx": range(100, 200), "2xx": range(200, 300)}
    before = epochs.get_data().copy()
    trials = epochs_recording(epochs, codes, level="trial", picks=["Oz", "O1", "O2"], tmin=1.0, tmax=3.0, decim=4)
    assert trials.dims == ("stimulus", "channel", "time") and trials.n_stimuli == 16
    assert trials.stimulus_ids[:2] == ("1xx/101", "2xx/202") and list(trials.channels) == ["Oz", "O1", "O2"]
    assert trials.times[0] == pytest.approx(1.0) and trials.times[-1] <= 3.0 and trials.descriptors["sfreq"] == 64
    expected = epochs.get_data(picks="Oz", tmin=1.0, tmax=3.0)[1, 0, ::4]
    np.testing.assert_array_equal(trials.data[1, 0, : len(expected)], expected)
    assert epochs.get_data().shape == before.shape and np.array_equal(epochs.get_data(), before)


def test_lowpass_before_decimation_equals_mne_filter_then_decimate(epochs):
    """The anti-alias low-pass is MNE's own FIR filter, applied to the cropped copy before decimation."""
    codes = {"1xx": range(100, 200), "2xx": range(200, 300)}
    trials = epochs_recording(epochs, codes, level="trial", picks=["Oz"], tmin=1.0, tmax=3.0, decim=8, lowpass=10.0)
    direct = epochs.copy().pick(["Oz"]).crop(1.0, 3.0).filter(None, 10.0, verbose="error").decimate(8)
    np.testing.assert_allclose(trials.data[:, 0], direct.get_data()[:, 0], rtol=0, atol=1e-15)
    plain = epochs.get_data(picks="Oz", tmin=1.0, tmax=3.0)[:, 0, ::8]
    assert not np.allclose(trials.data[:, 0, :plain.shape[1]], plain)
    with pytest.raises(DataFormatError, match="lowpass.*Nyquist frequency 128 Hz"):
        epochs_recording(epochs, codes, level="trial", lowpass=200.0)


def test_time_resolved_rdms_over_trials_and_conditions(eeg):
    trials, = eeg.recordings(level="trial", tmin=0.0, tmax=0.5, decim=16)
    rdms = compute_rdms(trials, "correlation")
    assert rdms.n_rdms == trials.n_times == 9 and rdms.n_stimuli == 16
    np.testing.assert_allclose(rdms.descriptors["time"], trials.times)
    conditions, = eeg.recordings(tmin=0.0, tmax=0.5, decim=16)
    cross = compute_rdms(conditions, "crossnobis")  # cross-validated over the 8 trials of each condition
    assert cross.n_rdms == 9 and cross.n_stimuli == 2 and np.isfinite(cross.dissimilarities).all()


def test_event_codes_that_do_not_match_the_stimulus_set(data_mirror, epochs):
    path = data_mirror / DATASET / "example-epo.fif"
    with pytest.raises(ConditionMismatchError, match=r"example-epo.fif: events: event codes \[202, 205"):
        epochs_recording(path, {"1xx": range(100, 200)})
    with pytest.raises(ConditionMismatchError, match=r"conditions \['3xx'\] of the stimulus set have no epoch"):
        epochs_recording(epochs, {"1xx": range(100, 200), "2xx": range(200, 300), "3xx": range(300, 400)})


def test_evoked_responses(epochs):
    evokeds = [epochs[np.flatnonzero(epochs.events[:, 2] // 100 == k)].average() for k in (1, 2)]
    recording = evoked_recording(evokeds, ["1xx", "2xx"], decim=8)
    assert recording.dims == ("stimulus", "channel", "time") and recording.n_times == 512
    np.testing.assert_allclose(recording.data[0, :, 0], evokeds[0].data[:, 0])
