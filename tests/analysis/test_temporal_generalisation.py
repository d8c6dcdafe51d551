"""Temporal generalisation: symmetry, the diagonal, a planted window's block, real EEG, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic import planted_recording

from neuroalign.analysis import TimeAxisError, temporal_generalisation
from neuroalign.compare import compare
from neuroalign.core.rdms import RDMs
from neuroalign.datasets import load_dataset
from neuroalign.errors import StimulusMismatchError
from neuroalign.rdm import compute_rdms


def test_planted_window_generalises_within_itself_only():
    rec, _ = planted_recording()
    gen = temporal_generalisation(rec, comparator="pearson")
    assert gen.values.shape == (60, 60)
    np.testing.assert_allclose(gen.values, gen.values.T, atol=1e-12)
    np.testing.assert_allclose(np.diag(gen.values), 1.0, atol=1e-12)
    block = gen.values[20:35, 20:35]
    across = gen.values[20:35, 40:]
    assert block[~np.eye(15, dtype=bool)].min() > 0.5 and np.abs(across).max() < 0.4


def test_two_inputs_and_precomputed_rdms():
    rec, _ = planted_recording(n_times=10, window=(3, 6))
    other, _ = planted_recording(seed=1, n_times=7, window=(3, 6))
    rdms = compute_rdms(rec, "euclidean")
    gen = temporal_generalisation(rdms, other, distance="euclidean", comparator="spearman")
    assert gen.values.shape == (10, 7) and len(gen.times_a) == 10 and len(gen.times_b) == 7
    np.testing.assert_allclose(gen.values, compare(rdms, compute_rdms(other, "euclidean"), "spearman"))


def test_rdms_without_time_and_stimuli_that_differ():
    rec, model = planted_recording(n_times=5)
    with pytest.raises(TimeAxisError, match="'time' descriptor"):
        temporal_generalisation(RDMs(model[None], rec.stimulus_ids))
    renamed = rec.select_stimuli(rec.stimulus_ids[:-1])
    with pytest.raises(StimulusMismatchError):
        temporal_generalisation(rec, renamed)


@pytest.mark.realdata
def test_real_eeg_generalisation_is_symmetric_with_a_unit_diagonal(data_mirror):
    trials, = load_dataset("ssvep_eeg_64ch", mirror=data_mirror).recordings(level="trial", tmin=0.0, tmax=2.0,
                                                                            decim=16)
    gen = temporal_generalisation(trials, comparator="pearson")
    assert gen.values.shape == (trials.n_times, trials.n_times) == (33, 33)
    np.testing.assert_allclose(gen.values, gen.values.T, atol=1e-12)
    np.testing.assert_allclose(np.diag(gen.values), 1.0, atol=1e-12)
    off = gen.values[~np.eye(33, dtype=bool)]
    assert off.max() < 1.0 and np.isfinite(off).all()
    # Spearman is symmetric too, and neighbouring samples share more geometry than distant ones on average
    spear = temporal_generalisation(trials, comparator="spearman").values
    np.testing.assert_allclose(spear, spear.T, atol=1e-12)
    assert np.diag(spear, 1).mean() > np.diag(spear, 16).mean()
