"""Time-resolved RSA: an RDM per time point (or window) of a recording, compared with model RDMs over time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.analysis.windows import require_time, sliding_windows
from neuroalign.compare import DEFAULT_COMPARATOR, compare
from neuroalign.core.rdms import RDMs
from neuroalign.core.recording import Recording
from neuroalign.rdm import compute_rdms
from neuroalign.rdm.converters import as_recording
from neuroalign.utils.renamed import renamed_keywords


@dataclass(frozen=True)
class TimeCourse:
    """Comparison values over time.

    Attributes
    ----------
    values : ndarray, shape (n_models, n_times)
        ``values[m, t]`` compares model RDM ``m`` with the brain RDM at ``times[t]``.
    times : ndarray, shape (n_times,)
        Time of each brain RDM (window centres when windows were used).
    brain_rdms : RDMs
        The brain RDMs, one per time point, with a ``time`` descriptor.
    """

    values: np.ndarray
    times: np.ndarray
    brain_rdms: RDMs


def time_resolved_rdms(recording: Recording, distance: Any = "correlation", *, window: int | None = None,
                       step: int = 1, **rdm_options: Any) -> RDMs:
    """One RDM per time point (or per sliding window) of a time-resolved recording.

    Parameters
    ----------
    recording : Recording or mne.Epochs
        Must have a time axis; runs feed cross-validated distances (``crossnobis``). Epochs become a recording
        with :func:`neuroalign.recording_from_epochs`' defaults (one condition per event name); call it yourself
        for other conditions, channels or times.
    distance : str or Distance
        Any distance of :func:`neuroalign.rdm.compute_rdms`.
    window : int, optional
        Average the responses over sliding windows of this many samples first (see :func:`sliding_windows`).
    step : int
        Samples between window starts (only with ``window``).
    **rdm_options
        Passed to :func:`~neuroalign.rdm.compute_rdms` (``noise``, ``normalize``, ``device``, ...).

    Returns
    -------
    RDMs
        One RDM per time point, batched in one engine call, with a ``time`` descriptor.

    Raises
    ------
    TimeAxisError
        Without a time axis, or a window that does not fit it.
    """
    recording = as_recording(recording)
    require_time(recording)
    if window is not None:
        recording = sliding_windows(recording, window, step)
    return compute_rdms(recording, distance, **rdm_options)


@renamed_keywords(method="comparator")
def time_resolved_rsa(recording: Recording, model_rdms: Any, distance: Any = "correlation",
                      comparator: str = DEFAULT_COMPARATOR, *, window: int | None = None, step: int = 1,
                      **rdm_options: Any) -> TimeCourse:
    """Compare model RDMs with the brain RDM at every time point (or window) of a recording.

    Parameters
    ----------
    recording : Recording or mne.Epochs
        A time-resolved recording (epochs as for :func:`time_resolved_rdms`).
    model_rdms : RDMs or array_like, shape (n_pairs,), (n_models, n_pairs), (n, n) or (n_models, n, n)
        Model RDMs. ``RDMs`` are matched to the recording's stimuli by id; plain arrays (condensed or square)
        must follow the recording's stimulus order.
    distance : str or Distance
        The brain RDMs' distance.
    comparator : str
        Any comparator of :func:`neuroalign.compare.compare` (``method=`` is its deprecated
        spelling).
    window, step : int, optional
        Sliding-window averaging (see :func:`time_resolved_rdms`).
    **rdm_options
        Passed to :func:`~neuroalign.rdm.compute_rdms`.

    Returns
    -------
    TimeCourse
        ``values`` of shape ``(n_models, n_times)``, the ``times`` and the brain RDMs.

    Examples
    --------
    >>> course = time_resolved_rsa(recording, model_rdms, "correlation", "spearman", window=5)  # doctest: +SKIP
    >>> course.values.shape  # doctest: +SKIP
    (1, 96)
    """
    brain = time_resolved_rdms(recording, distance, window=window, step=step, **rdm_options)
    # An array follows the recording's stimulus order; its ids also fix its layout (condensed or square).
    models = model_rdms if isinstance(model_rdms, RDMs) else RDMs(model_rdms, brain.stimulus_ids)
    values = compare(models, brain, comparator)
    return TimeCourse(values=values, times=np.asarray(brain.descriptors["time"], dtype=np.float64),
                      brain_rdms=brain)
