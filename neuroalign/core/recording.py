"""The :class:`Recording` container: brain responses ``stimulus x channel [x time]``, runs kept separate."""

from __future__ import annotations

import warnings
from typing import Any, Mapping, Sequence

import numpy as np

from neuroalign.core.ids import normalize_ids, positions
from neuroalign.errors import InvalidPatternsError, ShapeMismatchError

#: The order in which a Recording stores the axes it has.
CANONICAL_DIMS = ("run", "stimulus", "channel", "time")
_REQUIRED = ("stimulus", "channel")


def _coordinate(values: Sequence[Any] | None, size: int, name: str, default: Any) -> np.ndarray:
    if values is None:
        return default
    out = np.asarray(values)
    if out.shape != (size,):
        raise ShapeMismatchError(f"{name} must have {size} entries to match the data; got shape {out.shape}")
    return out


class Recording:
    """Responses of a brain (or any system) to stimuli.

    The axes are named explicitly by ``dims``; the array's shape is never used to guess them. The data are stored
    in the canonical order ``run, stimulus, channel, time`` (the axes present).

    Parameters
    ----------
    data : array_like
        The responses. NaN marks a stimulus missing from a run.
    stimulus_ids : sequence
        One id per entry of the ``stimulus`` axis.
    dims : sequence of str
        The name of each axis of ``data``: ``"stimulus"`` and ``"channel"`` are required, ``"run"`` (repeated
        measures kept apart for cross-validation and noise ceilings) and ``"time"`` are optional.
    channels, times, runs : sequence, optional
        Coordinates of the channel, time and run axes (channel names, seconds, run labels).
    descriptors : mapping, optional
        Facts about the whole recording: ``subject``, ``roi``, ``modality``, ``units``, ...

    Examples
    --------
    >>> rec = Recording(np.zeros((3, 4)), ["a", "b", "c"], dims=("stimulus", "channel"))
    >>> rec.n_stimuli, rec.n_channels, rec.n_runs
    (3, 4, 1)
    """

    def __init__(
        self,
        data: Any,
        stimulus_ids: Sequence[object],
        *,
        dims: Sequence[str],
        channels: Sequence[Any] | None = None,
        times: Sequence[float] | None = None,
        runs: Sequence[Any] | None = None,
        descriptors: Mapping[str, Any] | None = None,
    ) -> None:
        array = np.asarray(data)
        dims = tuple(dims)
        if array.ndim != len(dims):
            raise ShapeMismatchError(f"data has {array.ndim} axes but dims names {len(dims)}: {dims}")
        unknown = [d for d in dims if d not in CANONICAL_DIMS]
        if unknown or len(set(dims)) != len(dims):
            raise ShapeMismatchError(f"dims must be distinct names from {CANONICAL_DIMS}; got {dims}")
        missing = [d for d in _REQUIRED if d not in dims]
        if missing:
            raise ShapeMismatchError(f"dims must include {missing}; got {dims}")
        order = [dims.index(d) for d in CANONICAL_DIMS if d in dims]
        stored = np.array(np.transpose(array, order), dtype=np.result_type(array.dtype, np.float32), copy=True)
        stored.setflags(write=False)
        self._data = stored
        self._dims = tuple(CANONICAL_DIMS[k] for k in range(4) if CANONICAL_DIMS[k] in dims)
        self._ids = normalize_ids(stimulus_ids)
        if len(self._ids) != self.n_stimuli:
            raise ShapeMismatchError(f"{len(self._ids)} stimulus ids for a stimulus axis of {self.n_stimuli}")
        self._channels = _coordinate(channels, self.n_channels, "channels", np.arange(self.n_channels))
        self._times = _coordinate(times, self.n_times, "times", None) if self.has_time else None
        if self.has_time and self._times is None:
            self._times = np.arange(self.n_times, dtype=np.float64)
        self._runs = _coordinate(runs, self.n_runs, "runs", np.arange(self.n_runs)) if self.has_runs else None
        self._descriptors = dict(descriptors or {})

    def _size(self, dim: str) -> int:
        return self._data.shape[self._dims.index(dim)] if dim in self._dims else 1

    @property
    def data(self) -> np.ndarray:
        """The read-only response array, axes in :attr:`dims` order."""
        return self._data

    @property
    def dims(self) -> tuple[str, ...]:
        """Names of the stored axes, in canonical order."""
        return self._dims

    @property
    def stimulus_ids(self) -> tuple[str, ...]:
        """Stimulus ids along the stimulus axis."""
        return self._ids

    @property
    def channels(self) -> np.ndarray:
        """Channel coordinates (names or indices)."""
        return self._channels

    @property
    def times(self) -> np.ndarray | None:
        """Time coordinates, or ``None`` without a time axis."""
        return self._times

    @property
    def runs(self) -> np.ndarray | None:
        """Run labels, or ``None`` without a run axis."""
        return self._runs

    @property
    def descriptors(self) -> dict[str, Any]:
        """A copy of the recording-level descriptors (subject, roi, modality, units, ...)."""
        return dict(self._descriptors)

    @property
    def n_stimuli(self) -> int:
        """Number of stimuli."""
        return self._size("stimulus")

    @property
    def n_channels(self) -> int:
        """Number of channels (voxels, sensors, neurons)."""
        return self._size("channel")

    @property
    def n_runs(self) -> int:
        """Number of runs (1 without a run axis)."""
        return self._size("run")

    @property
    def n_times(self) -> int:
        """Number of time points (1 without a time axis)."""
        return self._size("time")

    @property
    def has_runs(self) -> bool:
        """Whether repeated measures are kept apart on a run axis."""
        return "run" in self._dims

    @property
    def has_time(self) -> bool:
        """Whether the recording is time-resolved."""
        return "time" in self._dims

    def __repr__(self) -> str:
        shape = " x ".join(f"{d}={self._size(d)}" for d in self._dims)
        return f"<Recording {shape}, descriptors={self._descriptors}>"

    def patterns(self) -> np.ndarray:
        """The data as a 4-D ``(run, stimulus, channel, time)`` array; absent axes have length 1 (a view)."""
        shape = tuple(self._size(d) for d in CANONICAL_DIMS)
        return self._data.reshape(shape)

    def _replace(self, data: np.ndarray, dims: tuple[str, ...], **coords: Any) -> "Recording":
        kwargs: dict[str, Any] = {
            "channels": self._channels,
            "times": self._times if "time" in dims else None,
            "runs": self._runs if "run" in dims else None,
            "descriptors": self._descriptors,
        }
        kwargs.update(coords)
        ids = kwargs.pop("stimulus_ids", self._ids)
        return Recording(data, ids, dims=dims, **kwargs)

    def select_stimuli(self, stimulus_ids: Sequence[object]) -> "Recording":
        """Select and reorder stimuli by id."""
        target = normalize_ids(stimulus_ids)
        pos = positions(self._ids, target, source_name="recording")
        data = np.take(self._data, pos, axis=self._dims.index("stimulus"))
        return self._replace(data, self._dims, stimulus_ids=target)

    def select_runs(self, runs: Any) -> "Recording":
        """Keep the runs at positions ``runs`` (a slice, indices or a boolean mask over the run axis), in that order.

        Raises ``ShapeMismatchError`` for a recording without runs and ``IndexError`` for a position out of range.
        """
        if not self.has_runs:
            raise ShapeMismatchError("this recording has no run axis")
        keep = np.arange(self.n_runs)[runs if isinstance(runs, slice) else np.asarray(runs)]
        return self._replace(np.take(self._data, keep, axis=0), self._dims, runs=self._runs[keep])

    def average_runs(self) -> "Recording":
        """Mean over runs, each stimulus over the runs it was measured in; drops the run axis.

        A stimulus missing from a run is NaN in every channel of that run (the RDM engine's rule too); a NaN in
        only some channels is bad data and raises :class:`~neuroalign.errors.InvalidPatternsError`.
        """
        if not self.has_runs:
            return self
        nan = np.isnan(self._data)
        if not nan.any():
            return self._replace(self._data.mean(axis=0), self._dims[1:])
        partial = nan & ~nan.all(axis=self._dims.index("channel"), keepdims=True)
        if partial.any():
            run, stimulus = np.argwhere(partial)[0][:2]
            raise InvalidPatternsError(
                f"stimulus {self._ids[stimulus]!r} has NaN in some channels of run {self._runs[run].item()!r}; a "
                "stimulus missing from a run is NaN in every channel of it, anything else is bad data to remove or "
                "impute")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a stimulus in no run stays NaN, as it was
            mean = np.nanmean(self._data, axis=0)
        return self._replace(mean, self._dims[1:])

    def select_times(self, tmin: float | None = None, tmax: float | None = None) -> "Recording":
        """Keep time points with ``tmin <= t <= tmax`` (inclusive)."""
        if not self.has_time:
            raise ShapeMismatchError("this recording has no time axis")
        keep = np.ones(self.n_times, dtype=bool)
        if tmin is not None:
            keep &= self._times >= tmin
        if tmax is not None:
            keep &= self._times <= tmax
        if not keep.any():
            raise ShapeMismatchError(f"no time point lies in [{tmin}, {tmax}]; times span "
                                     f"[{self._times.min()}, {self._times.max()}]")
        data = np.compress(keep, self._data, axis=self._dims.index("time"))
        return self._replace(data, self._dims, times=self._times[keep])

    def to_dataframe(self):
        """Long table with one row per value and a column per axis coordinate (for small recordings)."""
        import pandas as pd

        coords = {"run": self._runs, "stimulus": np.asarray(self._ids, dtype=object),
                  "channel": self._channels, "time": self._times}
        grids = np.meshgrid(*[np.asarray(coords[d]) for d in self._dims], indexing="ij")
        frame = {d: g.ravel() for d, g in zip(self._dims, grids)}
        frame["value"] = self._data.ravel()
        return pd.DataFrame(frame)
