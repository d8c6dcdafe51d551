""":class:`StoredResult`: one row of a results store, read back."""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.core.score import Score
from neuroalign.store.rows import raw_from_json


@dataclass(frozen=True)
class StoredResult:
    """A stored result with its context; :meth:`score` rebuilds the :class:`~neuroalign.core.Score`.

    Attributes mirror the columns of the ``results`` table (see ``docs/results_store.md``); JSON columns are
    decoded (``raw`` as a read-only float64 array, ``null``, ``provenance`` and ``parameters`` as dicts), the
    interval is a ``(low, high)`` tuple and timestamps are ISO 8601 text in UTC. ``n_scored`` of ``n_stimuli``
    stimuli were scored (``None`` where the score does not say: stores before schema version 3, other kinds). A NaN optional number (ceiling,
    ceiling_low, duration) reads back as ``None``: SQL has no NaN.
    """

    id: int
    request_key: str
    model_id: str
    benchmark_id: str
    benchmark_version: str
    layer: str | None
    kind: str
    metric: str
    value: float
    ceiling: float | None
    ceiling_low: float | None
    normalized: float | None
    interval: tuple[float, float] | None
    interval_level: float
    exceeds_ceiling: bool
    n_scored: int | None
    n_stimuli: int | None
    raw: np.ndarray | None
    null: dict[str, Any] | None
    provenance: dict[str, Any]
    parameters: dict[str, Any]
    seed: int | None
    started_at: str | None
    duration_s: float | None
    created_at: str

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> StoredResult:
        """Decode one row of ``SELECT * FROM results``."""
        raw = None
        if row["raw_json"] is not None:
            raw = np.array(raw_from_json(row["raw_json"]), dtype=np.float64)
            raw.setflags(write=False)
        interval = None
        if row["interval_low"] is not None and row["interval_high"] is not None:
            interval = (row["interval_low"], row["interval_high"])
        return cls(
            id=row["id"], request_key=row["request_key"], model_id=row["model_id"],
            benchmark_id=row["benchmark_id"], benchmark_version=row["benchmark_version"], layer=row["layer"],
            kind=row["kind"], metric=row["metric"], value=math.nan if row["value"] is None else row["value"],
            ceiling=row["ceiling"], ceiling_low=row["ceiling_low"], normalized=row["normalized"], interval=interval,
            interval_level=row["interval_level"], exceeds_ceiling=bool(row["exceeds_ceiling"]),
            n_scored=row["n_scored"], n_stimuli=row["n_stimuli"], raw=raw,
            null=None if row["null_json"] is None else json.loads(row["null_json"]),
            provenance=json.loads(row["provenance_json"]), parameters=json.loads(row["parameters_json"]),
            seed=row["seed"], started_at=row["started_at"], duration_s=row["duration_s"],
            created_at=row["created_at"],
        )

    def score(self) -> Score:
        """The stored :class:`~neuroalign.core.Score`.

        Returns
        -------
        Score
            Value, metric, ceiling, interval, raw values, null summary and provenance as stored.
        """
        return Score(value=self.value, metric=self.metric, ceiling=self.ceiling, ceiling_low=self.ceiling_low,
                     interval=self.interval, interval_level=self.interval_level, raw=self.raw, null=self.null,
                     provenance=self.provenance)
