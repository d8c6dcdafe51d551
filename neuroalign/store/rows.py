"""A :class:`ResultRecord` as a row of the ``results`` table."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from neuroalign.store.canonical import canonical_json, strict_json
from neuroalign.store.provenance import merge_provenance
from neuroalign.store.record import ResultRecord
from neuroalign.store.timestamps import utc_now


def record_row(record: ResultRecord) -> dict[str, Any]:
    """The column values of a record.

    Parameters
    ----------
    record : ResultRecord
        What to store.

    Returns
    -------
    dict
        Every column but ``id``, keyed by name, ``created_at`` set to now.
    """
    score = record.score
    low, high = score.interval if score.interval is not None else (None, None)
    return {
        "request_key": record.request_key,
        "model_id": record.model_id,
        "benchmark_id": record.benchmark_id,
        "benchmark_version": record.benchmark_version,
        "layer": record.layer,
        "kind": record.kind,
        "metric": score.metric,
        # SQLite stores a NaN REAL as NULL; value is required, so NULL reads back as NaN
        "value": float(score.value),
        "ceiling": _optional_float(score.ceiling),
        "ceiling_low": _optional_float(score.ceiling_low),
        "normalized": _optional_float(score.normalized),
        "interval_low": _optional_float(low),
        "interval_high": _optional_float(high),
        "interval_level": float(score.interval_level),
        "exceeds_ceiling": int(bool(score.exceeds_ceiling)),
        **dict(zip(("n_scored", "n_stimuli"), stimulus_counts(score.provenance))),
        "raw_json": None if score.raw is None else raw_to_json(score.raw),
        "null_json": None if score.null is None else strict_json(score.null),
        "provenance_json": strict_json(merge_provenance(score.provenance, record.provenance)),
        # the exact text the key hashes (NaN tokens included), so a key can be recomputed from its row
        "parameters_json": canonical_json(record.parameters),
        "seed": record.seed,
        "started_at": record.started_at,
        "duration_s": _optional_float(record.duration_s),
        "created_at": utc_now(),
    }


def stimulus_counts(provenance: Any) -> tuple[int | None, int | None]:
    """``(scored, total)`` stimuli from a score's ``provenance["stimuli"]`` (see
    :mod:`neuroalign.benchmarks.coverage`); ``(None, None)`` where the provenance does not say."""
    stimuli = provenance.get("stimuli") if isinstance(provenance, Mapping) else None
    if not isinstance(stimuli, Mapping) or not isinstance(stimuli.get("scored"), int) \
            or not isinstance(stimuli.get("total"), int):
        return None, None
    return stimuli["scored"], stimuli["total"]


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def raw_to_json(raw: Any) -> str:
    """Per-split values as standard JSON; non-finite values as the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"``.

    A list of numbers has no strings of its own, so the strings are unambiguous and the values round-trip exactly.
    """
    return json.dumps([v if math.isfinite(v) else _NONFINITE[str(v)] for v in map(float, raw)], allow_nan=False)


def raw_from_json(text: str) -> list[float]:
    """The inverse of :func:`raw_to_json`."""
    return [float(v) for v in json.loads(text)]


_NONFINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}
