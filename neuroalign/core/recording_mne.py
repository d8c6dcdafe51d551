"""MEG/EEG: MNE ``Epochs`` and ``Evoked`` into time-resolved ``stimulus x channel x time`` recordings.

Epochs keep their trials: at the ``"condition"`` level the trials of each condition form the ``run`` axis (for
cross-validated distances; where a condition has fewer trials, the runs it lacks are NaN in every channel, which
the RDM engine reads as "not measured"); at the ``"trial"`` level every trial is a stimulus. Which epochs form a
condition (event codes, event names and tags, metadata) is :mod:`.recording_mne_conditions`. Inputs are never
modified: channel picking, cropping and decimation work on a copy.

A container conversion (like :mod:`.rdms_rsatoolbox`), so it sits with the containers: the RDM engine converts an
``mne.Epochs`` it is given without importing the dataset layer, and :mod:`neuroalign.datasets.loaders.meeg`
re-exports it.
"""

from __future__ import annotations

import os
import warnings
from typing import Any, Mapping, Sequence

import numpy as np

from neuroalign.core.recording import Recording
from neuroalign.core.recording_mne_conditions import epoch_conditions
from neuroalign.errors import DataFormatError, InvalidOptionError
from neuroalign.registry import Registry


def _source(obj: Any, reader: str) -> tuple[Any, str]:
    import mne

    if isinstance(obj, (str, os.PathLike)):
        loaded = getattr(mne, reader)(os.fspath(obj), verbose="error")
        return loaded, os.fspath(obj)
    return obj, (getattr(obj, "filename", None) or "<in-memory>")


def _prepare(inst: Any, name: str, picks: Any, tmin: float | None, tmax: float | None, decim: int,
             lowpass: float | None = None) -> Any:
    if isinstance(decim, bool) or not isinstance(decim, (int, np.integer)) or decim < 1:
        raise InvalidOptionError(f"decim must be an integer >= 1 (1 keeps every sample); got {decim!r}")
    out = inst.copy()
    if not getattr(out, "preload", True):
        out.load_data()  # picking channels needs the data in memory (MNE refuses otherwise)
    if hasattr(out, "drop_bad"):
        # Epochs read lazily with rejection criteria drop their bad epochs only when the data are loaded: do it
        # now, so that events, metadata and data describe the same epochs.
        out.drop_bad(verbose="error")
    try:
        # exclude="bads": channel types skip the channels marked bad (as MNE's get_data does); names given
        # explicitly are kept.
        out.pick(picks, exclude="bads", verbose="error")
    except ValueError as error:
        raise DataFormatError(name, "channels", f"picks={picks!r} selects nothing usable: {error}") from None
    _warn_mixed_units(out, name)
    if tmin is not None or tmax is not None:
        try:
            out.crop(tmin, tmax, verbose="error")
        except ValueError as error:
            raise DataFormatError(name, "tmin/tmax", f"[{tmin}, {tmax}] does not fit the epochs' times "
                                                     f"[{out.times[0]:g}, {out.times[-1]:g}] s: {error}") from None
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


def _warn_mixed_units(inst: Any, name: str) -> None:
    """Say so when the picked channels mix units (MEG magnetometers in T, gradiometers in T/m, EEG in V)."""
    if len({ch["unit"] for ch in inst.info["chs"]}) > 1:
        kinds = sorted(set(inst.get_channel_types()))
        warnings.warn(f"{name}: the picked channels mix types with different units ({', '.join(kinds)}); a distance "
                      "across them is dominated by the type with the largest values. Pick one type (picks='mag'), "
                      "or whiten the channels (noise=noise_precision(residuals))", UserWarning, stacklevel=4)


def _by_condition(data: np.ndarray, labels: np.ndarray, conditions: Sequence[str]) -> np.ndarray:
    counts = [(labels == c).sum() for c in conditions]
    cube = np.full((max(counts), len(conditions), *data.shape[1:]), np.nan)
    for k, condition in enumerate(conditions):
        trials = data[labels == condition]
        cube[: len(trials), k] = trials
    return cube


def recording_from_epochs(epochs: Any, conditions: Any = None, *, by: str | None = None, level: str = "condition",
                          picks: Any = "data", tmin: float | None = None, tmax: float | None = None,
                          decim: int = 1, lowpass: float | None = None,
                          descriptors: Mapping[str, Any] | None = None) -> Recording:
    """A time-resolved :class:`Recording` from MNE epochs.

    Parameters
    ----------
    epochs : mne.Epochs or path-like
        The epochs (a ``-epo.fif`` path is read with ``mne.read_epochs``). Never modified. Epochs that MNE's
        rejection marks bad are dropped first.
    conditions : mapping, sequence of str, or None
        The conditions (stimulus ids) and their epochs (see :mod:`.meeg_conditions`): a mapping of name to event
        code(s) (``epochs.event_id`` itself, or ``{"1xx": range(100, 200)}``) or to an MNE selector string (an
        event name, ``/``-separated tags such as ``"face"``, or a metadata query such as ``"size > 3"``); a
        sequence of selector strings; with ``by``, the metadata values to keep, in order. Default: every name of
        ``epochs.event_id`` (without ``by``) or every value of the ``by`` column, sorted. Every epoch must
        belong to exactly one condition and every condition must have an epoch.
    by : str, optional
        A metadata column naming each epoch's stimulus; its values are the conditions.
    level : str
        ``"condition"``: ``run x stimulus x channel x time`` with the trials of each condition on the run axis
        (run ``k`` holds each condition's ``k``-th trial). A condition with fewer trials is NaN in the runs it
        lacks, which the RDM engine reads as "not measured": cross-validated distances then use the unbalanced
        estimator and the others each condition's mean over its trials. ``"trial"``: ``stimulus x channel x
        time`` with one stimulus per epoch, id ``"<condition>/<event code>"`` when every epoch has its own event
        code, else ``"<condition>/<epoch number>"`` (``epochs.selection``: its index among the original events,
        unchanged when epochs are dropped).
    picks : str or list
        MNE channel picks: a type (``"eeg"``, ``"meg"``, ``"grad"``, ``"data"``), a list of types, or names.
        Channels marked bad (``info["bads"]``) are left out unless named explicitly, as MNE's ``get_data`` does.
        Picking channel types with different units (magnetometers and gradiometers) warns.
    tmin, tmax : float, optional
        Time window in seconds (inclusive).
    decim : int
        Keep every ``decim``-th sample (give ``lowpass`` below ``sfreq / (2 * decim)`` to avoid aliasing).
    lowpass : float, optional
        Low-pass edge in Hz (MNE's zero-phase FIR filter), applied after cropping and before decimation.
    descriptors : mapping, optional
        Recording descriptors; ``modality``, ``sfreq``, ``level`` and, when some were left out, ``bads`` (the bad
        channels) are added.

    Raises
    ------
    ConditionMismatchError
        If epochs and conditions do not match one to one (names the file, the epochs and the conditions).
    DataFormatError
        If ``epochs`` is not an Epochs object, ``picks`` selects no channel, or ``lowpass`` is not below the
        Nyquist frequency.

    Examples
    --------
    >>> recording = recording_from_epochs(epochs)                                # doctest: +SKIP
    >>> recording = recording_from_epochs(epochs, ["face", "house"])            # doctest: +SKIP
    >>> recording = recording_from_epochs(epochs, by="stimulus")                # doctest: +SKIP
    """
    inst, name = _source(epochs, "read_epochs")
    if not hasattr(inst, "event_id") or not hasattr(inst, "drop_bad"):
        raise DataFormatError(name, "type", f"expected mne.Epochs; got {type(inst).__name__} (for Evoked "
                                            "responses use recording_from_evoked)")
    bads = [ch for ch in inst.info["bads"] if ch in inst.ch_names]
    inst = _prepare(inst, name, picks, tmin, tmax, decim, lowpass)
    labels, order = epoch_conditions(inst, conditions, by, name)
    data = inst.get_data(copy=True)
    kinds = sorted(set(inst.get_channel_types()))
    left_out = tuple(ch for ch in bads if ch not in inst.ch_names)
    common = {"modality": kinds[0] if len(kinds) == 1 else "+".join(kinds), "sfreq": float(inst.info["sfreq"]),
              "level": level, **({"bads": left_out} if left_out else {}), **dict(descriptors or {})}
    return EPOCH_LEVELS.get(level)(data, labels, inst, order, common)


#: The earlier name of :func:`recording_from_epochs` (the same function).
epochs_recording = recording_from_epochs


def _condition_level(data, labels, inst, conditions, descriptors) -> Recording:
    cube = _by_condition(data, labels, conditions)
    return Recording(cube, conditions, dims=("run", "stimulus", "channel", "time"), channels=inst.ch_names,
                     times=inst.times, runs=[f"trial{k + 1}" for k in range(cube.shape[0])], descriptors=descriptors)


def _trial_level(data, labels, inst, conditions, descriptors) -> Recording:
    codes = inst.events[:, 2]
    numbers = codes if len(set(codes.tolist())) == len(codes) else inst.selection
    ids = [f"{label}/{number}" for label, number in zip(labels, numbers)]
    return Recording(data, ids, dims=("stimulus", "channel", "time"), channels=inst.ch_names, times=inst.times,
                     descriptors={**descriptors, "conditions": tuple(labels)})


#: Level name -> builder of the recording from ``(data, trial labels, epochs, conditions, descriptors)``.
EPOCH_LEVELS: Registry[Any] = Registry("epochs level")
EPOCH_LEVELS.register("condition", _condition_level)
EPOCH_LEVELS.register("trial", _trial_level)


def recording_from_evoked(evokeds: Any, stimulus_ids: Sequence[str] | None = None, *, picks: Any = "data",
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
        As for :func:`recording_from_epochs`.
    """
    items, name = _source(evokeds, "read_evokeds")
    if hasattr(items, "comment"):  # one Evoked
        raise DataFormatError(name, "evokeds", "one Evoked response is one stimulus; pass a list with one per "
                                               "stimulus (an RDM needs at least two)")
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


#: The earlier name of :func:`recording_from_evoked` (the same function).
evoked_recording = recording_from_evoked
