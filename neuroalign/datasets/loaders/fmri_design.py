"""Experimental designs of fMRI runs: per-volume labels, block/event tables, and conversions between them.

The common currency is an events table (BIDS style) with columns ``onset``, ``duration`` (seconds, from the start
of the run), ``trial_type`` and ``run``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from neuroalign.errors import DataFormatError


def read_volume_labels(path: str | os.PathLike[str], *, label_column: int = 0, run_column: int = 1
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Per-volume condition labels and run numbers from a whitespace-separated text file (``label run``).

    Raises
    ------
    DataFormatError
        For a line with too few columns or a run that is not an integer (the line number is given).
    """
    path = Path(path)
    labels, runs = [], []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) <= max(label_column, run_column):
            raise DataFormatError(path, f"line {number}", f"has {len(parts)} column(s); expected 'label run'")
        try:
            runs.append(int(float(parts[run_column])))
        except ValueError:
            raise DataFormatError(path, f"line {number}", f"run {parts[run_column]!r} is not a number") from None
        labels.append(parts[label_column])
    return np.asarray(labels, dtype=object), np.asarray(runs)


def events_from_volume_labels(labels: Sequence[str], runs: Sequence[int], tr: float, *,
                              exclude: Sequence[str] = ("rest",)) -> pd.DataFrame:
    """Blocks of consecutive equal labels within each run as an events table (onsets relative to the run)."""
    labels, runs = np.asarray(labels, dtype=object), np.asarray(runs)
    rows = []
    for run in pd.unique(runs):
        run_labels = labels[runs == run]
        starts = np.flatnonzero(np.r_[True, run_labels[1:] != run_labels[:-1]])
        stops = np.r_[starts[1:], len(run_labels)]
        rows += [(start * tr, (stop - start) * tr, run_labels[start], run)
                 for start, stop in zip(starts, stops) if run_labels[start] not in exclude]
    return pd.DataFrame(rows, columns=["onset", "duration", "trial_type", "run"])


def volume_labels_from_events(events: pd.DataFrame, n_volumes: int, tr: float, *, lag: float = 0.0) -> np.ndarray:
    """Label of each volume of one run: the event whose ``[onset + lag, onset + duration + lag)`` holds the
    volume's acquisition time; ``None`` for volumes outside every event.

    ``lag`` (seconds) is the haemodynamic delay: the response to an event is sampled that much later.

    Raises
    ------
    DataFormatError
        If events of different types overlap on a volume.
    """
    times = np.arange(n_volumes) * tr
    out = np.full(n_volumes, None, dtype=object)
    for onset, duration, trial_type in events[["onset", "duration", "trial_type"]].itertuples(index=False):
        inside = (times >= onset + lag) & (times < onset + duration + lag)
        clash = inside & (out != None) & (out != trial_type)  # noqa: E711 (elementwise on an object array)
        if clash.any():
            volume = int(np.flatnonzero(clash)[0])
            raise DataFormatError("<events>", "onset", f"volume {volume} (t = {times[volume]:g} s) falls in events "
                                                       f"of both {out[volume]!r} and {trial_type!r}: overlapping "
                                                       "events cannot be averaged by label; use method='glm'")
        out[inside] = trial_type
    return out
