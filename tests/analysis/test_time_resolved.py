"""Time-resolved RSA on a planted effect window and on the real SSVEP EEG epochs."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import pdist
from synthetic import planted_recording

from neuroalign.analysis import TimeAxisError, time_resolved_rdms, time_resolved_rsa
from neuroalign.compare import compare
from neuroalign.core.rdms import RDMs
from neuroalign.core.recording import Recording
from neuroalign.datasets import load_dataset
from neuroalign.rdm import compute_rdms


def test_planted_window_stands_out():
    rec, model = planted_recording()
    course = time_resolved_rsa(rec, model, "correlation", "spearman")
    assert course.values.shape == (1, 60)
    np.testing.assert_allclose(course.times, rec.times)
    inside, outside = course.values[0, 20:35], np.r_[course.values[0, :20], course.values[0, 35:]]
    assert inside.min() > 0.5 and np.abs(outside).max() < 0.4


def test_values_equal_per_time_direct_computation():
    rec, model = planted_recording(n_times=8, window=(2, 5))
    course = time_resolved_rsa(rec, np.stack([model, model[::-1]]), "correlation", "pearson")
    for t in range(8):
        brain = pdist(rec.data[:, :, t], "correlation")
        for m, candidate in enumerate((model, model[::-1])):
            assert course.values[m, t] == pytest.approx(np.corrcoef(candidate, brain)[0, 1], abs=1e-12)


def test_windows_average_before_the_rdm():
    rec, model = planted_recording()
    course = time_resolved_rsa(rec, model, "euclidean", "pearson", window=5, step=5)
    assert course.values.shape == (1, 12)
    np.testing.assert_allclose(course.times, rec.times[:60].reshape(12, 5).mean(1))
    brain = pdist(rec.data[:, :, 20:25].mean(-1))
    assert course.values[0, 4] == pytest.approx(np.corrcoef(model, brain)[0, 1], abs=1e-12)


def test_model_rdms_are_joined_on_ids():
    rec, model = planted_recording()
    ids = list(rec.stimulus_ids)
    square = RDMs(model[None], ids).to_square()[0]
    order = ids[::-1]
    reversed_model = RDMs.from_square(square[::-1, ::-1][None], order)
    np.testing.assert_allclose(time_resolved_rsa(rec, reversed_model).values,
                               time_resolved_rsa(rec, model).values, atol=1e-12)


def test_recording_without_time():
    rec = Recording(np.random.default_rng(0).normal(size=(4, 3)), list("abcd"), dims=("stimulus", "channel"))
    with pytest.raises(TimeAxisError, match="time axis"):
        time_resolved_rsa(rec, np.ones(6))


@pytest.fixture(scope="module")
def eeg(data_mirror):
    return load_dataset("ssvep_eeg_64ch", mirror=data_mirror)


@pytest.mark.realdata
def test_real_eeg_condition_model_over_time(eeg):
    trials, = eeg.recordings(level="trial", tmin=0.0, tmax=2.0, decim=16)
    labels = np.array([s.split("/")[0] for s in trials.stimulus_ids])
    model = pdist((labels[:, None] == "2xx").astype(float), "cityblock")  # 1 between conditions, 0 within
    course = time_resolved_rsa(trials, model, "correlation", "spearman", window=4, step=2)
    assert course.values.shape == (1, 15) and np.isfinite(course.values).all()
    rdms = compute_rdms(trials, "correlation")
    middle = trials.data[..., 8:12].mean(-1)
    direct = compare(model, pdist(middle, "correlation"), "spearman")[0, 0]
    assert course.values[0, 4] == pytest.approx(direct, abs=1e-10)
    assert rdms.n_rdms == trials.n_times  # the unwindowed RDMs, one per sample


@pytest.mark.realdata
def test_real_eeg_crossnobis_windows_over_trials(eeg):
    conditions, = eeg.recordings(tmin=0.0, tmax=2.0, decim=16)  # 2 conditions x 8 trials (runs)
    rdms = time_resolved_rdms(conditions, "crossnobis", window=4, step=2)
    assert rdms.distance == "crossnobis" and rdms.n_rdms == 15 and rdms.n_stimuli == 2
    middle = Recording(conditions.data[..., 8:12].mean(-1), conditions.stimulus_ids,
                       dims=("run", "stimulus", "channel"), runs=conditions.runs)
    direct = compute_rdms(middle, "crossnobis").dissimilarities[0, 0]
    assert rdms.dissimilarities[4, 0] == pytest.approx(direct, rel=1e-10)
