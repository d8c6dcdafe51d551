"""Sliding-window averages over the time axis of a recording."""

from __future__ import annotations

import numpy as np

from neuroalign.errors import TimeAxisError
from neuroalign.core.recording import Recording


def require_time(recording: Recording) -> None:
    """Raise :class:`TimeAxisError` unless ``recording`` is time-resolved."""
    if not recording.has_time:
        raise TimeAxisError(f"a time-resolved analysis needs a recording with a time axis; got dims "
                            f"{recording.dims}")


def sliding_windows(recording: Recording, width: int, step: int = 1) -> Recording:
    """Average a recording over sliding windows of ``width`` time samples.

    Parameters
    ----------
    recording : Recording
        A time-resolved recording (left unchanged).
    width : int
        Samples per window (``1 <= width <= n_times``).
    step : int
        Samples between the starts of consecutive windows (``>= 1``).

    Returns
    -------
    Recording
        One time point per window; its time is the mean of the window's sample times.

    Raises
    ------
    TimeAxisError
        Without a time axis, or when ``width`` or ``step`` does not fit it.
    """
    require_time(recording)
    n = recording.n_times
    if not (isinstance(width, (int, np.integer)) and 1 <= width <= n):
        raise TimeAxisError(f"window width must be an integer in [1, n_times={n}]; got {width!r}")
    if not (isinstance(step, (int, np.integer)) and step >= 1):
        raise TimeAxisError(f"window step must be an integer >= 1; got {step!r}")
    starts = np.arange(0, n - width + 1, step)
    # A cumulative sum gives every window mean in one pass instead of one mean per window.
    data = np.asarray(recording.data, dtype=np.float64)
    zero = np.zeros(data.shape[:-1] + (1,))
    cumulative = np.concatenate([zero, np.cumsum(data, axis=-1)], axis=-1)
    means = (cumulative[..., starts + width] - cumulative[..., starts]) / width
    times = np.asarray(recording.times, dtype=np.float64)
    time_sums = np.concatenate([[0.0], np.cumsum(times)])
    centres = (time_sums[starts + width] - time_sums[starts]) / width
    return Recording(means, recording.stimulus_ids, dims=recording.dims, channels=recording.channels,
                     times=centres, runs=recording.runs, descriptors=recording.descriptors)
