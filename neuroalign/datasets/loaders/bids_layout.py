"""Finding the runs of a BIDS fMRI dataset among its file paths: bold series, events, fMRIPrep confounds, masks.

Works on relative paths (a manifest's file names, or the files under a directory), so the same code serves a
dataset fetched file by file into the cache and a lab's own BIDS folder. An fMRIPrep derivative
(``desc-preproc_bold``) is preferred over the raw series of the same run; its ``desc-confounds_timeseries.tsv``
and ``desc-brain_mask`` are picked up when present.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from neuroalign.errors import DataFormatError

_KEYS = ("sub", "ses", "task", "run")


@dataclass(frozen=True)
class BidsRunFiles:
    """The relative paths of one run's files (``confounds`` and ``mask`` may be None)."""

    subject: str
    session: str | None
    run: str
    bold: str
    events: str
    confounds: str | None = None
    mask: str | None = None


def _entities(name: str) -> dict[str, str]:
    stem = Path(name).name
    return dict(re.findall(r"(?:^|_)([a-zA-Z]+)-([A-Za-z0-9]+)(?=_)", stem))


def _suffix(name: str) -> str:
    return Path(name).name.split(".")[0].rsplit("_", 1)[-1]


def _key(name: str) -> tuple[str | None, ...]:
    ents = _entities(name)
    return tuple(ents.get(k) for k in _KEYS)


def files_under(root: str | os.PathLike[str]) -> list[str]:
    """Every file under a BIDS folder as a ``/``-separated relative path (hidden files left out)."""
    root = Path(root)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts))


def subjects_of(names: Iterable[str], task: str) -> list[str]:
    """The subjects that have a bold series of ``task``, sorted."""
    return sorted({_entities(n)["sub"] for n in names
                   if _suffix(n) == "bold" and n.endswith((".nii", ".nii.gz")) and _entities(n).get("task") == task
                   and "sub" in _entities(n)}, key=lambda s: (len(s), s))


def find_runs(names: Iterable[str], *, subject: str, task: str, session: str | None = None,
              where: str | os.PathLike[str] = "<dataset>") -> list[BidsRunFiles]:
    """The runs of one subject and task, sorted by session and run.

    Raises
    ------
    DataFormatError
        If the subject has no bold series of the task, or a run has no events file (naming the series).
    """
    names = list(names)
    by_kind: dict[str, dict[tuple, list[str]]] = {}
    for name in names:
        ents = _entities(name)
        if ents.get("sub") != subject or ents.get("task", task) != task:
            continue
        if session is not None and ents.get("ses") != session:
            continue
        kind = _suffix(name)
        if kind == "bold" and name.endswith((".nii", ".nii.gz")):
            kind = "preproc" if ents.get("desc") == "preproc" else "raw"
        elif kind == "mask" and ents.get("desc") == "brain":
            kind = "brainmask"
        elif kind == "timeseries" and ents.get("desc") == "confounds":
            kind = "confounds"
        by_kind.setdefault(kind, {}).setdefault(_key(name), []).append(name)
    series = {**by_kind.get("raw", {}), **by_kind.get("preproc", {})}  # a preprocessed run replaces the raw one
    if not series:
        raise DataFormatError(where, f"sub-{subject} task-{task}", "no _bold.nii[.gz] series of this subject and "
                                                                   "task")
    runs = []
    for key in sorted(series, key=lambda k: tuple((s or "").zfill(6) for s in k)):
        bold = sorted(series[key])[0]
        events = by_kind.get("events", {}).get(key) or by_kind.get("events", {}).get((*key[:3], None))
        if not events:
            raise DataFormatError(where, bold, "has no matching _events.tsv (same sub, ses, task, run)")
        runs.append(BidsRunFiles(subject, key[1], key[3] or "1", bold, events[0],
                                 (by_kind.get("confounds", {}).get(key) or [None])[0],
                                 (by_kind.get("brainmask", {}).get(key) or [None])[0]))
    return runs


def read_events(path: str | os.PathLike[str]) -> pd.DataFrame:
    """A run's events (``onset``, ``duration``, ``trial_type``), checked.

    Raises
    ------
    DataFormatError
        If a column is missing or an onset/duration is not a number (the message names the file).
    """
    events = pd.read_csv(path, sep="\t")
    missing = {"onset", "duration", "trial_type"} - set(events.columns)
    if missing:
        raise DataFormatError(path, "columns", f"events need onset, duration, trial_type; missing {sorted(missing)}")
    for column in ("onset", "duration"):
        if not pd.api.types.is_numeric_dtype(events[column]):
            raise DataFormatError(path, column, "must hold numbers (seconds)")
    return events[["onset", "duration", "trial_type"]].assign(trial_type=events["trial_type"].astype(str))


#: fMRIPrep confound columns used by default: the six head-motion parameters.
MOTION = ("trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z")


def read_confounds(path: str | os.PathLike[str], columns: Iterable[str] = MOTION) -> pd.DataFrame:
    """The chosen columns of an fMRIPrep ``desc-confounds_timeseries.tsv`` (derivatives' leading NaN set to 0).

    Raises
    ------
    DataFormatError
        If a chosen column is absent (the message lists the columns the file has).
    """
    table = pd.read_csv(path, sep="\t")
    columns = list(columns)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DataFormatError(path, missing[0], f"no such confound column; the file has {list(table.columns)[:12]}...")
    return table[columns].fillna(0.0)
