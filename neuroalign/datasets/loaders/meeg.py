"""MEG/EEG: MNE ``Epochs`` and ``Evoked`` into time-resolved ``stimulus x channel x time`` recordings.

Epochs keep their trials: at the ``"condition"`` level the trials of each condition form the ``run`` axis (for
cross-validated distances; NaN where a condition has fewer trials); at the ``"trial"`` level every trial is a
stimulus. Inputs are never modified: channel picking, cropping and decimation work on a copy.
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Sequence

import numpy as np

from neuroalign.core.recording import Recording
from neuroalign.datasets.errors import ConditionMismatchError, DataFormatError
from neuroalign.registry import Registry


def _source(obj: Any, reader: str) -> tuple[Any, str]:
    import mne

    if isinstance(obj, (str, os.PathLike)):
        loaded = getattr(mne, reader)(os.fspath(obj), verbose="error")
        return loaded, os.fspath(obj)
    return obj, (getattr(obj, "filename", None) or "<in-memory>")


def _prepare(inst: Any, name: str, picks: Any, tmin: float | None, tmax: float | None, decim: int,
             lowpass: float | None = None) -> Any:
    out = inst.copy()
    try:
        out.pick(picks, verbose="error")
    except ValueError as error:
        raise DataFormatError(name, "channels", f"picks={picks!r} selects nothing usable: {error}") from None
    if tmin is not None or tmax is not None:
        out.crop(tmin, tmax, verbose="error")
    if lowpass is not None:
        nyquist = out.info["sfreq"] / 2
        if not 0 < lowpass < nyquist:
            raise DataFormatError(name, "lowpass", f"must lie between 0 and the Nyquist frequency {nyquist:g} Hz; "
                                                   f"got {lowpass!r}")
        out.filter(None, lowpass, verbose="error")  # MNE's default zero-phase FIR low-pass
    if decim > 1:
        # decimation without a low-pass can alias (MNE warns): pass lowpass below sfreq / (2 * decim)
        out.decimate(decim, verbose="error")
    return out


def _trial_conditions(codes: np.ndarray, conditions: Mapping[str, Sequence[int]], name: str) -> np.ndarray:
    owner: dict[int, str] = {}
    for condition, members in conditions.items():
        for code in members:
            if int(code) in owner:
                raise ConditionMismatchError(name, "conditions", f"event code {code} is claimed by both "
                                                                 f"{owner[int(code)]!r} and {condition!r}")
            owner[int(code)] = condition
    unknown = sorted({int(c) for c in codes} - set(owner))
    if unknown:
        raise ConditionMismatchError(name, "events", f"event codes {unknown} belong to no condition of the stimulus "
                                                     f"set {sorted(conditions)}")
    labels = np.array([owner[int(c)] for c in codes], dtype=object)
    empty = [c for c in conditions if not (labels == c).any()]
    if empty:
        raise ConditionMismatchError(name, "events", f"conditions {empty} of the stimulus set have no epoch; the "
                                                     f"file's event codes are {sorted({int(c) for c in codes})}")
    return labels


def _by_condition(data: np.ndarray, labels: np.ndarray, conditions: Sequence[str]) -> np.ndarray:
    counts = [(labels == c).sum() for c in conditions]
    cube = np.full((max(counts), len(conditions), *data.shape[1:]), np.nan)
    for k, condition in enumerate(conditions):
        trials = data[labels == condition]
        cube[: len(trials), k] = trials
    return cube


def epochs_recording(epochs: Any, conditions: Mapping[str, Sequence[int]], *, level: str = "condition",
                     picks: Any = "data", tmin: float | None = None, tmax: float | None = None, decim: int = 1,
                     lowpass: float | None = None, descriptors: Mapping[str, Any] | None = None) -> Recording:
    """A time-resolved :class:`Recording` from MNE epochs.

    Parameters
    ----------
    epochs : mne.Epochs or path-like
        The epochs (a ``-epo.fif`` path is read with ``mne.read_epochs``).
    conditions : mapping of str to sequence of int
        Condition (stimulus id) -> the event codes of its trials. Every epoch must belong to exactly one
        condition and every condition must have an epoch.
    level : str
        ``"condition"``: ``run x stimulus x channel x time`` with the trials of each condition on the run axis
        (run ``k`` holds each condition's ``k``-th trial; NaN where a condition has fewer); ``"trial"``:
        ``stimulus x channel x time`` with one stimulus per epoch, id ``"<condition>/<event code>"``.
    picks : str or list
        MNE channel picks: a type (``"eeg"``, ``"meg"``, ``"grad"``, ``"data"``), a list of types, or names.
    tmin, tmax : float, optional
        Time window in seconds (inclusive).
    decim : int
        Keep every ``decim``-th sample (give ``lowpass`` below ``sfreq / (2 * decim)`` to avoid aliasing).
    lowpass : float, optional
        Low-pass edge in Hz (MNE's zero-phase FIR filter), applied after cropping and before decimation.
    descriptors : mapping, optional
        Recording descriptors; ``modality``, ``sfreq`` and ``level`` are added.

    Raises
    ------
    ConditionMismatchError
        If event codes and conditions do not match one to one (names the file and ``events``/``conditions``).
    """
    inst, name = _source(epochs, "read_epochs")
    labels = _trial_conditions(inst.events[:, 2], conditions, name)
    inst = _prepare(inst, name, picks, tmin, tmax, decim, lowpass)
    data = inst.get_data(copy=True)
    kinds = sorted(set(inst.get_channel_types()))
    common = {"modality": kinds[0] if len(kinds) == 1 else "+".join(kinds), "sfreq": float(inst.info["sfreq"]),
              "level": level, **dict(descriptors or {})}
    return EPOCH_LEVELS.get(level)(data, labels, inst, list(conditions), common)


def _condition_level(data, labels, inst, conditions, descriptors) -> Recording:
    cube = _by_condition(data, labels, conditions)
    return Recording(cube, conditions, dims=("run", "stimulus", "channel", "time"), channels=inst.ch_names,
                     times=inst.times, runs=[f"trial{k + 1}" for k in range(cube.shape[0])], descriptors=descriptors)


def _trial_level(data, labels, inst, conditions, descriptors) -> Recording:
    ids = [f"{label}/{code}" for label, code in zip(labels, inst.events[:, 2])]
    return Recording(data, ids, dims=("stimulus", "channel", "time"), channels=inst.ch_names, times=inst.times,
                     descriptors={**descriptors, "conditions": tuple(labels)})


#: Level name -> builder of the recording from ``(data, trial labels, epochs, conditions, descriptors)``.
EPOCH_LEVELS: Registry[Any] = Registry("epochs level")
EPOCH_LEVELS.register("condition", _condition_level)
EPOCH_LEVELS.register("trial", _trial_level)


def evoked_recording(evokeds: Any, stimulus_ids: Sequence[str] | None = None, *, picks: Any = "data",
                     tmin: float | None = None, tmax: float | None = None, decim: int = 1,
                     descriptors: Mapping[str, Any] | None = None) -> Recording:
    """A ``stimulus x channel x time`` :class:`Recording` from MNE ``Evoked`` responses, one per stimulus.

    Parameters
    ----------
    evokeds : sequence of mne.Evoked or path-like
        The evoked responses (an ``-ave.fif`` path is read with ``mne.read_evokeds``); all must share channels
        and times.
    stimulus_ids : sequence of str, optional
        One id per evoked response; default their ``comment``.
    picks, tmin, tmax, decim, descriptors
        As for :func:`epochs_recording`.
    """
    items, name = _source(evokeds, "read_evokeds")
    items = [_prepare(e, name, picks, tmin, tmax, decim) for e in items]
    ids = [e.comment for e in items] if stimulus_ids is None else list(stimulus_ids)
    if len(ids) != len(items):
        raise DataFormatError(name, "stimulus_ids", f"{len(ids)} ids for {len(items)} evoked responses")
    first = items[0]
    for e in items[1:]:
        if e.ch_names != first.ch_names or not np.allclose(e.times, first.times):
            raise DataFormatError(name, e.comment, "has channels or times that differ from the first evoked")
    return Recording(np.stack([e.data for e in items]), ids, dims=("stimulus", "channel", "time"),
                     channels=first.ch_names, times=first.times,
                     descriptors={"sfreq": float(first.info["sfreq"]), **dict(descriptors or {})})
