"""Rows of the ``results`` table as a pandas DataFrame with fixed dtypes."""

from __future__ import annotations

import sqlite3
from typing import Sequence

import pandas as pd

from neuroalign.store.schema import COLUMNS

_FLOATS = ("value", "ceiling", "ceiling_low", "normalized", "interval_low", "interval_high", "interval_level",
           "duration_s")
_INTEGERS = ("seed", "n_scored", "n_stimuli")


def results_frame(rows: Sequence[sqlite3.Row]) -> pd.DataFrame:
    """Rows of ``results`` as a table with the same dtypes whatever the rows hold.

    Parameters
    ----------
    rows : sequence of sqlite3.Row
        Rows selecting every column of :data:`~neuroalign.store.schema.COLUMNS`.

    Returns
    -------
    DataFrame
        One row per result, the columns in :data:`~neuroalign.store.schema.COLUMNS` order. JSON columns stay JSON
        text (decode with :func:`json.loads`); ``exceeds_ceiling`` is bool, ``seed``, ``n_scored`` and
        ``n_stimuli`` nullable ``Int64``,
        missing numbers NaN, missing text ``None``.
    """
    frame = pd.DataFrame([tuple(row[c] for c in COLUMNS) for row in rows], columns=list(COLUMNS))
    # fixed dtypes, so an empty or all-NULL column has the same type as a full one (and exports alike)
    frame = frame.astype({"id": "int64", "exceeds_ceiling": "bool", **{c: "Int64" for c in _INTEGERS},
                          **{c: "float64" for c in _FLOATS}})
    text = [c for c in COLUMNS if c not in _FLOATS and c not in ("id", "exceeds_ceiling", *_INTEGERS)]
    frame[text] = frame[text].astype(object).where(frame[text].notna(), None)
    return frame
