"""Sliding-window averages: exact means, window-centre times, untouched input, errors naming the constraint."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.analysis import TimeAxisError, sliding_windows
from neuroalign.core.recording import Recording


def _recording(n_times=10, runs=True):
    rng = np.random.default_rng(0)
    shape = (3, 4, 5, n_times) if runs else (4, 5, n_times)
    dims = ("run", "stimulus", "channel", "time") if runs else ("stimulus", "channel", "time")
    return Recording(rng.normal(size=shape), list("abcd"), dims=dims, times=np.linspace(0.0, 0.9, n_times))


def test_window_means_and_centre_times():
    rec = _recording()
    before = rec.data.copy()
    out = sliding_windows(rec, 4, step=3)
    assert out.n_times == 3 and out.dims == rec.dims and out.n_runs == 3
    for k, start in enumerate((0, 3, 6)):
        np.testing.assert_allclose(out.data[..., k], rec.data[..., start:start + 4].mean(-1))
        assert out.times[k] == pytest.approx(rec.times[start:start + 4].mean())
    np.testing.assert_array_equal(rec.data, before)


def test_width_one_is_the_identity():
    rec = _recording(runs=False)
    np.testing.assert_allclose(sliding_windows(rec, 1).data, rec.data)


@pytest.mark.parametrize("width, step, match", [(0, 1, "width must be an integer in \\[1, n_times=10\\]"),
                                                (11, 1, "n_times=10"), (2, 0, "step must be an integer >= 1")])
def test_windows_that_do_not_fit(width, step, match):
    with pytest.raises(TimeAxisError, match=match):
        sliding_windows(_recording(), width, step)


def test_recording_without_time():
    rec = Recording(np.zeros((3, 2)), list("abc"), dims=("stimulus", "channel"))
    with pytest.raises(TimeAxisError, match="needs a recording with a time axis"):
        sliding_windows(rec, 1)
