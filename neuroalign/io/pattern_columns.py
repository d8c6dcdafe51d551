"""Which columns of a patterns table are channels.

Named channels (``channel_columns``: names or glob patterns) are taken as given. Without names, every column other
than the id and run columns is a channel -- unless one looks like a design variable, which would silently become
one more "voxel": a column named like one (``session``, ``subject``, ``trial``, ...), or a column of repeated
integer codes among real-valued channels. Such input is refused, and the message says how to name the channels.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Sequence

import numpy as np

from neuroalign.errors import DataFormatError
from neuroalign.io.text_cells import is_number

#: Column names (lower case) that describe the design, not a measurement channel.
DESIGN_NAMES = frozenset({
    "session", "ses", "sess", "run", "runs", "subject", "sub", "subj", "participant", "trial", "trials", "block",
    "condition", "cond", "category", "label", "labels", "target", "stimulus", "stimulus_id", "stim", "image", "onset",
    "duration", "time", "times", "timepoint", "epoch", "fold", "repetition", "rep", "chunk", "chunks", "group",
})


def _named(path: Path, header: list[str], reserved: list[str], wanted: str | Sequence[str]) -> list[str]:
    patterns = [wanted] if isinstance(wanted, str) else list(wanted)
    candidates = [c for c in header if c not in reserved]
    chosen: list[str] = []
    for pattern in patterns:
        matched = [c for c in candidates if fnmatch.fnmatchcase(c, pattern)]
        if not matched:
            raise DataFormatError(path, "channel_columns", f"{pattern!r} matches no column; columns are "
                                                           f"{candidates[:10]}{' ...' if len(candidates) > 10 else ''}")
        chosen += [c for c in matched if c not in chosen]
    return chosen


def _integers(cells: np.ndarray) -> np.ndarray | None:
    """The column's finite values when all of them are whole numbers, else ``None``."""
    try:
        values = np.asarray(cells, dtype=np.float64)
    except ValueError:
        return None
    values = values[np.isfinite(values)]
    return values if values.size and np.all(values == np.round(values)) else None


def channel_columns_of(path: Path, header: list[str], body: np.ndarray, *, reserved: Sequence[str | None],
                       wanted: str | Sequence[str] | None) -> list[str]:
    """The channel columns of a patterns table (see the module docstring).

    Raises
    ------
    DataFormatError
        For a name or pattern that matches nothing, non-numeric channel columns, or (channels not named) a column
        that looks like a design variable.
    """
    reserved = [r for r in reserved if r is not None]
    if wanted is not None:
        return _named(path, header, reserved, wanted)
    channels = [c for c in header if c not in reserved]
    if not channels:
        raise DataFormatError(path, "channels", "no channel columns besides the id and run columns")
    columns = {c: body[:, header.index(c)] for c in channels}
    text = [c for c in channels if not all(is_number(v) for v in columns[c])]
    if text:
        raise DataFormatError(path, "channels", f"channel columns must be numeric; {text[:5]} are not. Name the id "
                                                "column with id_column (--id-column), the run column with run_column "
                                                "(--run-column) and the channels with channel_columns (--channels)")
    by_name = [c for c in channels if c.strip().lower() in DESIGN_NAMES]
    whole = {c: _integers(columns[c]) for c in channels if c not in by_name}
    if all(v is not None for v in whole.values()):
        codes = []  # every channel holds whole numbers (spike counts): nothing stands out
    else:  # repeated whole numbers among real-valued channels are codes (1, 1, 2, 2), not measurements
        codes = [c for c, v in whole.items() if v is not None and len(np.unique(v)) < v.size]
    suspects = by_name + codes
    if suspects:
        raise DataFormatError(path, "channels", f"columns {suspects[:5]} look like design variables (a design name, "
                                                "or repeated integer codes among real-valued channels), not channels; "
                                                "without channel names every column but the id and run columns would "
                                                "be a channel. Name the channels with channel_columns (CLI: --channels, "
                                                "names or glob patterns such as 'v*'), or make the column the run "
                                                "column (run_column / --run-column)")
    return channels
