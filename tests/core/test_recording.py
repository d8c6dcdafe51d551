"""The Recording container: explicit dims, canonical order, runs and time."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign import Recording
from neuroalign.errors import DuplicateStimulusError, ShapeMismatchError, StimulusMismatchError


def test_dims_are_reordered_to_canonical():
    rng = np.random.default_rng(1)
    data = rng.normal(size=(5, 3, 4, 2))  # time, stimulus, channel, run
    rec = Recording(data, ["a", "b", "c"], dims=("time", "stimulus", "channel", "run"))
    assert rec.dims == ("run", "stimulus", "channel", "time")
    np.testing.assert_array_equal(rec.data, data.transpose(3, 1, 2, 0))
    assert (rec.n_runs, rec.n_stimuli, rec.n_channels, rec.n_times) == (2, 3, 4, 5)
    assert rec.has_runs and rec.has_time


def test_patterns_always_four_dimensional():
    rec = Recording(np.arange(12.0).reshape(4, 3), list("abc"), dims=("channel", "stimulus"))
    assert rec.patterns().shape == (1, 3, 4, 1)
    np.testing.assert_array_equal(rec.patterns()[0, :, :, 0], np.arange(12.0).reshape(4, 3).T)


def test_bad_dims_are_rejected():
    with pytest.raises(ShapeMismatchError, match="2 axes but dims names 3"):
        Recording(np.zeros((2, 3)), ["a", "b"], dims=("stimulus", "channel", "time"))
    with pytest.raises(ShapeMismatchError, match=r"must include \['channel'\]"):
        Recording(np.zeros((2, 3)), ["a", "b"], dims=("stimulus", "time"))
    with pytest.raises(ShapeMismatchError, match="distinct names"):
        Recording(np.zeros((2, 3)), ["a", "b"], dims=("stimulus", "voxel"))
    with pytest.raises(ShapeMismatchError, match="3 stimulus ids"):
        Recording(np.zeros((2, 3)), ["a", "b", "c"], dims=("stimulus", "channel"))
    with pytest.raises(DuplicateStimulusError):
        Recording(np.zeros((2, 3)), ["a", "a"], dims=("stimulus", "channel"))
    with pytest.raises(ShapeMismatchError, match="times must have 4 entries"):
        Recording(np.zeros((2, 3, 4)), ["a", "b"], dims=("stimulus", "channel", "time"), times=[0, 1])


def test_select_average_and_times():
    rng = np.random.default_rng(2)
    data = rng.normal(size=(3, 4, 5, 6))
    data[1, 2, :, :] = np.nan  # stimulus "c" missing from run 1
    rec = Recording(data, list("abcd"), dims=("run", "stimulus", "channel", "time"), times=np.linspace(0, 0.5, 6),
                    descriptors={"subject": "s1"})
    sub = rec.select_stimuli(["d", "a"])
    np.testing.assert_array_equal(sub.data, data[:, [3, 0]])
    mean = rec.average_runs()
    assert mean.dims == ("stimulus", "channel", "time")
    np.testing.assert_allclose(mean.data[2], data[[0, 2], 2].mean(axis=0), rtol=1e-14)
    np.testing.assert_allclose(mean.data[0], data[:, 0].mean(axis=0), rtol=1e-14)
    window = rec.select_times(0.1, 0.31)
    np.testing.assert_allclose(window.times, [0.1, 0.2, 0.3])
    assert window.descriptors == {"subject": "s1"}
    with pytest.raises(ShapeMismatchError, match="no time point"):
        rec.select_times(2.0, 3.0)
    with pytest.raises(StimulusMismatchError, match="'z'"):
        rec.select_stimuli(["z"])


def test_input_is_copied_and_frozen():
    data = np.zeros((2, 3))
    rec = Recording(data, ["a", "b"], dims=("stimulus", "channel"))
    data[0, 0] = 5
    assert rec.data[0, 0] == 0
    with pytest.raises(ValueError):
        rec.data[0, 0] = 1


def test_dataframe():
    rec = Recording(np.arange(6.0).reshape(2, 3), ["a", "b"], dims=("stimulus", "channel"), channels=["x", "y", "z"])
    frame = rec.to_dataframe()
    assert frame[(frame.stimulus == "b") & (frame.channel == "y")].value.item() == 4.0


def test_select_runs_keeps_the_chosen_runs_in_order():
    data = np.arange(4 * 3 * 2, dtype=float).reshape(4, 3, 2)
    rec = Recording(data, ["a", "b", "c"], dims=("run", "stimulus", "channel"), runs=["r1", "r2", "r3", "r4"])
    odd = rec.select_runs(slice(0, None, 2))
    assert list(odd.runs) == ["r1", "r3"] and np.array_equal(odd.patterns()[..., 0], data[[0, 2]])
    assert list(rec.select_runs([3, 1]).runs) == ["r4", "r2"]
    assert list(rec.select_runs(np.array([False, True, True, False])).runs) == ["r2", "r3"]
    with pytest.raises(ShapeMismatchError, match="no run axis"):
        rec.average_runs().select_runs([0])
