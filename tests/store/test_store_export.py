"""CSV and Parquet exports read back with pandas equal the store's table."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal

from neuroalign.core import Score
from neuroalign.store import ResultRecord
from neuroalign.store.export import EXPORT_NAMES

INTEGERS = ("seed", "n_scored", "n_stimuli")


def _fill(store, make_record):
    store.put_many([
        make_record("model-a", value=0.3, ceiling=0.5, interval=(0.2, 0.4), seed=3, layer="fc6",
                    started_at="2026-01-02T03:04:05Z", duration_s=1.25),
        make_record("model-b", value=float("nan")),
        ResultRecord(Score(value=0.1, metric="cka", raw=np.array([0.1, np.nan]), null={"p_value": 0.04},
                           provenance={"git": "abc"}), "model-c", "bench-2", "1", {"alpha": 0.1}, kind="alignment"),
    ])
    # an export names the score columns by their scale; everything else as stored
    return store.results().rename(columns=EXPORT_NAMES)


def _comparable(frame):
    """Text columns as objects with None for missing: pandas reads text back as its own str dtype and NaN."""
    frame = frame.copy()
    text = [c for c in frame.columns if c not in (*INTEGERS, "exceeds_ceiling") and frame[c].dtype != float
            and c != "id"]
    frame[text] = frame[text].astype(object).where(frame[text].notna(), None)
    return frame


def test_parquet_round_trip(store, make_record, tmp_path):
    table = _fill(store, make_record)
    path = store.export_parquet(tmp_path / "out" / "results.parquet")
    back = pd.read_parquet(path)
    assert_frame_equal(_comparable(back), _comparable(table), check_exact=True)
    assert back["seed"].dtype == "Int64" and back["exceeds_ceiling"].dtype == bool
    assert json.loads(back.loc[2, "raw_json"]) == [0.1, "NaN"] and json.loads(back.loc[2, "null_json"]) == {
        "p_value": 0.04}


def test_csv_round_trip(store, make_record, tmp_path):
    table = _fill(store, make_record)
    path = store.export_csv(tmp_path / "results.csv")
    text = [c for c in table.columns if table[c].dtype == object]
    back = pd.read_csv(path, dtype={**{c: "Int64" for c in INTEGERS}, **{c: str for c in text}})
    assert_frame_equal(_comparable(back), _comparable(table), check_exact=True)
    assert json.loads(back.loc[0, "parameters_json"]) == {} and back.loc[0, "started_at"].startswith("2026-01-02T03")


def test_an_export_replaces_the_old_file_and_leaves_no_temporary(store, make_record, tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("old")
    store.put(make_record())
    store.export_csv(path)
    assert pd.read_csv(path)["model_id"].tolist() == ["model-a"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
