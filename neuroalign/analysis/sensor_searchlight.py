"""MEG/EEG sensor searchlight: neighbourhoods from MNE's channel adjacency, results as MNE Evoked objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse

from neuroalign.compare import DEFAULT_COMPARATOR
from neuroalign.analysis.neighbourhoods import neighbourhood_rsa
from neuroalign.analysis.windows import sliding_windows
from neuroalign.core.recording import Recording
from neuroalign.errors import ShapeMismatchError
from neuroalign.rdm.converters import as_recording
from neuroalign.utils.renamed import renamed_keywords


@dataclass(frozen=True)
class SensorSearchlightResult:
    """Sensor searchlight values.

    Attributes
    ----------
    values : ndarray, shape (n_models, n_channels, n_times)
        ``values[m, c, t]`` compares model RDM ``m`` with the RDM of channel ``c``'s neighbourhood at ``times[t]``.
    times : ndarray, shape (n_times,)
        Sample times (window centres with windows; ``[0.0]`` without a time axis).
    info : mne.Info
        The recording's channels, picked in its channel order.
    neighbourhoods : scipy.sparse.csr_matrix of bool, shape (n_channels, n_channels)
        The channels (columns) in each channel's neighbourhood (rows): itself and its adjacent channels.
    """

    values: np.ndarray
    times: np.ndarray
    info: Any
    neighbourhoods: scipy.sparse.csr_matrix

    def to_evoked(self) -> list:
        """One :class:`mne.EvokedArray` per model, channels x times of comparison values (``comment``: model m)."""
        import mne

        step = float(np.median(np.diff(self.times))) if len(self.times) > 1 else 1.0
        # Windows and decimation change the sampling rate of the values, so a new info carries the channels,
        # their types and sensor positions at the values' rate.
        info = mne.create_info(self.info["ch_names"], 1.0 / step, self.info.get_channel_types())
        for new, old in zip(info["chs"], self.info["chs"]):
            new["loc"][:] = old["loc"]
        evokeds = []
        for m, values in enumerate(self.values):
            evoked = mne.EvokedArray(values, info, tmin=0.0, comment=f"model {m}", verbose=False)
            # EvokedArray rounds tmin to its sample grid; window centres may fall between samples.
            evokeds.append(evoked.shift_time(float(self.times[0]), relative=False))
        return evokeds


def sensor_neighbourhoods(info: Any, channels: Any,
                          ch_type: str | None = None) -> tuple[scipy.sparse.csr_matrix, Any]:
    """Each channel and its adjacent channels (:func:`mne.channels.find_ch_adjacency`), as sparse rows.

    Parameters
    ----------
    info : mne.Info
        Measurement info holding every channel of ``channels`` (with positions or a known layout).
    channels : sequence of str
        Channel names, in the order of the recording's channel axis.
    ch_type : str, optional
        Passed to :func:`mne.channels.find_ch_adjacency` (``"eeg"``, ``"mag"``, ``"grad"``).

    Returns
    -------
    neighbourhoods : scipy.sparse.csr_matrix of bool, shape (n_channels, n_channels)
        In ``channels`` order, diagonal included.
    info : mne.Info
        ``info`` picked to ``channels``, in their order.

    Raises
    ------
    ShapeMismatchError
        A channel that ``info`` does not hold.
    """
    import mne

    names = [str(c) for c in channels]
    missing = sorted(set(names) - set(info["ch_names"]))
    if missing:
        raise ShapeMismatchError(f"every recording channel must be in the measurement info; missing: {missing[:5]}")
    picked = mne.pick_info(info, [info["ch_names"].index(n) for n in names])
    adjacency, adjacency_names = mne.channels.find_ch_adjacency(picked, ch_type)
    order = [adjacency_names.index(n) for n in names]
    rows = scipy.sparse.csr_matrix(adjacency)[order][:, order]
    return scipy.sparse.csr_matrix(rows + scipy.sparse.identity(len(names), format="csr"), dtype=bool), picked


@renamed_keywords(method="comparator")
def sensor_searchlight_rsa(recording: Recording, info: Any, model_rdms: Any, *, ch_type: str | None = None,
                           distance: Any = "correlation", comparator: str = DEFAULT_COMPARATOR,
                           window: int | None = None, step: int = 1, batch_size: int = 2048,
                           **rdm_options: Any) -> SensorSearchlightResult:
    """Searchlight RSA over sensor neighbourhoods (each channel with its adjacent channels), optionally over time.

    Parameters
    ----------
    recording : Recording or mne.Epochs
        Patterns over named MEG/EEG channels; a time axis gives one value per channel and time point. Epochs
        become a recording with :func:`neuroalign.recording_from_epochs`' defaults.
    info : mne.Info, optional
        Measurement info of the channels (e.g. ``epochs.info``); None takes the epochs' own.
    model_rdms : RDMs or array_like, shape (n_pairs,) or (n_models, n_pairs)
        ``RDMs`` are matched by stimulus id; arrays follow the recording's stimulus order.
    ch_type : str, optional
        Channel type for :func:`mne.channels.find_ch_adjacency`.
    distance : str or Distance
        Any distance of :func:`~neuroalign.rdm.compute_rdms` (runs feed ``crossnobis``).
    comparator : str
        Any comparator of :func:`~neuroalign.compare.compare` (``method=`` is its deprecated
        spelling).
    window, step : int, optional
        Sliding-window averaging over time first (see :func:`~neuroalign.analysis.sliding_windows`).
    batch_size : int
        Most neighbourhoods per engine call.
    **rdm_options
        Passed to :func:`~neuroalign.rdm.compute_rdms` (not ``noise``); ``progress`` shows a progress bar over the
        batches (by default only when stderr is a terminal).

    Returns
    -------
    SensorSearchlightResult
        Use :meth:`SensorSearchlightResult.to_evoked` for MNE objects.

    Raises
    ------
    ShapeMismatchError
        A recording channel missing from ``info``.
    TimeAxisError
        A window without a time axis or that does not fit it.
    """
    if info is None:
        info = getattr(recording, "info", None)
        if info is None:
            raise ShapeMismatchError("a Recording carries no sensor positions: pass info= (e.g. epochs.info)")
    recording = as_recording(recording)
    if window is not None:
        recording = sliding_windows(recording, window, step)
    neighbourhoods, picked = sensor_neighbourhoods(info, recording.channels, ch_type)
    values = neighbourhood_rsa(recording, neighbourhoods, model_rdms, distance=distance, comparator=comparator,
                               batch_size=batch_size, name=lambda k: f"the neighbourhood of channel "
                               f"{recording.channels[k]!r}", **rdm_options)
    times = np.asarray(recording.times, dtype=np.float64) if recording.has_time else np.zeros(1)
    return SensorSearchlightResult(values=values, times=times, info=picked, neighbourhoods=neighbourhoods)
