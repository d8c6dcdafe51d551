"""M/EEG BIDS runs into one time-resolved recording, read with mne-bids and epoched with MNE.

Each run is read with :func:`mne_bids.read_raw_bids` (which turns the run's ``_events.tsv`` into annotations,
``trial_type`` as the description, and marks the ``_channels.tsv`` bad channels), epoched around the events of the
chosen conditions with :class:`mne.Epochs` (baseline and rejection as MNE does them), and the runs' epochs are
joined with :func:`mne.concatenate_epochs`. Picking, cropping, filtering and decimation are
:func:`~neuroalign.datasets.loaders.meeg.recording_from_epochs`'.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from neuroalign.core.recording import Recording
from neuroalign.errors import DataFormatError, InvalidOptionError

#: Suffixes of M/EEG recordings that are single files (a CTF ``.ds`` or 4D folder is not one file).
RECORDING_SUFFIXES = {"meg": (".fif",), "eeg": (".fif", ".vhdr", ".edf", ".bdf", ".set"),
                      "ieeg": (".fif", ".vhdr", ".edf", ".set")}

#: Levels: per-condition averages (MNE's ``Epochs[condition].average()``), or the trials of
#: :func:`~neuroalign.datasets.loaders.meeg.recording_from_epochs`.
LEVELS = ("average", "condition", "trial")


def _entities(name: str) -> dict[str, str]:
    return dict(re.findall(r"(?:^|_)([a-zA-Z]+)-([A-Za-z0-9]+)(?=_)", Path(name).name))


def recording_files(names: Iterable[str], *, task: str, subject: str | None = None, session: str | None = None,
                    datatype: str = "meg") -> list[str]:
    """The M/EEG recording files of a task among BIDS relative names, sorted by subject, session and run."""
    suffixes = RECORDING_SUFFIXES.get(datatype, (".fif",))
    found = []
    for name in names:
        ents, stem = _entities(name), Path(name).name
        if not (stem.split(".")[0].endswith(f"_{datatype}") and stem.endswith(suffixes)):
            continue
        if f"/{datatype}/" not in f"/{name}" or ents.get("task") != task or "sub" not in ents:
            continue
        if (subject is not None and ents["sub"] != subject) or (session is not None and ents.get("ses") != session):
            continue
        if re.search(r"_split-0*[2-9]", stem):  # MNE reads the later parts of a split FIF through the first
            continue
        found.append(name)
    return sorted(found, key=lambda n: tuple((_entities(n).get(k) or "").zfill(6) for k in ("sub", "ses", "run")))


def meeg_subjects(names: Iterable[str], *, task: str, datatype: str = "meg") -> list[str]:
    """The subject labels with a recording of ``task``, sorted."""
    return sorted({_entities(n)["sub"] for n in recording_files(names, task=task, datatype=datatype)},
                  key=lambda s: (len(s), s))


def _run_epochs(path: Path, root: Path, conditions: Sequence[str] | None, tmin: float, tmax: float,
                baseline: Any, reject: Mapping[str, float] | None) -> Any:
    import mne
    from mne_bids import get_bids_path_from_fname, read_raw_bids

    bids_path = get_bids_path_from_fname(path)
    bids_path.update(root=root)
    raw = read_raw_bids(bids_path, verbose="error")
    present = sorted({str(d) for d in raw.annotations.description if not str(d).upper().startswith(("BAD", "EDGE"))})
    names = present if conditions is None else [c for c in conditions if c in present]
    if not names:
        raise DataFormatError(path, "events", f"no events of the conditions {list(conditions or [])} (the run has "
                                              f"{present})")
    # Fixed codes per condition name so that the runs' epochs concatenate with one event_id.
    codes = {c: k + 1 for k, c in enumerate(conditions or names)}
    events, _ = mne.events_from_annotations(raw, event_id={c: codes[c] for c in names}, verbose="error")
    return mne.Epochs(raw, events, {c: codes[c] for c in names}, tmin=tmin, tmax=tmax, baseline=baseline,
                      reject=dict(reject) if reject else None, preload=True, on_missing="ignore", verbose="error")


def bids_meeg_recording(paths: Sequence[str | os.PathLike[str]], root: str | os.PathLike[str], *,
                        conditions: Sequence[str] | None = None, tmin: float = -0.2, tmax: float = 0.5,
                        baseline: Any = (None, 0), reject: Mapping[str, float] | None = None,
                        level: str = "average", picks: Any = "data", decim: int = 1, lowpass: float | None = None,
                        descriptors: Mapping[str, Any] | None = None) -> Recording:
    """A time-resolved recording from M/EEG BIDS runs.

    Parameters
    ----------
    paths : sequence of path-like
        The runs' recording files (``..._meg.fif``, ``..._eeg.vhdr``), inside ``root``.
    root : path-like
        The BIDS root (holding ``dataset_description.json``).
    conditions : sequence of str, optional
        The ``trial_type`` values (stimulus ids), in order; default every value of the runs' events, sorted.
        Every condition must occur in some run.
    tmin, tmax : float
        The epochs' window in seconds around each event onset.
    baseline : tuple or None
        MNE's baseline interval (default the pre-stimulus part).
    reject : mapping, optional
        MNE's peak-to-peak rejection thresholds (``{"mag": 4e-12}``).
    level : str
        ``"average"``: ``stimulus x channel x time``, each condition's mean over its epochs (MNE's
        ``epochs[condition].average()``); ``"condition"`` or ``"trial"``: the trials, as
        :func:`~neuroalign.datasets.loaders.meeg.recording_from_epochs` keeps them.
    picks, decim, lowpass, descriptors
        As for :func:`~neuroalign.datasets.loaders.meeg.recording_from_epochs`.

    Raises
    ------
    DataFormatError
        If no run has events of the conditions, or a condition occurs in no run (names the condition).
    InvalidOptionError
        For an unknown ``level``.
    """
    import mne

    from neuroalign.datasets.loaders.meeg import recording_from_epochs
    if level not in LEVELS:
        raise InvalidOptionError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
    if not paths:
        raise DataFormatError(root, "runs", "no M/EEG recording files were given")
    runs = [_run_epochs(Path(p), Path(root), conditions, tmin, tmax, baseline, reject) for p in paths]
    epochs = runs[0] if len(runs) == 1 else mne.concatenate_epochs(runs, verbose="error")
    order = list(conditions) if conditions is not None else sorted(epochs.event_id)
    absent = [c for c in order if c not in epochs.event_id or len(epochs[c]) == 0]
    if absent:
        raise DataFormatError(Path(paths[0]).parent, "conditions", f"{absent} have no epochs in the runs "
                                                                   f"{[Path(p).name for p in paths]}")
    inner = "condition" if level == "average" else level
    recording = recording_from_epochs(epochs, order, level=inner, picks=picks, decim=decim, lowpass=lowpass,
                                      descriptors={**dict(descriptors or {}), "level": level})
    return recording.average_runs() if level == "average" else recording
