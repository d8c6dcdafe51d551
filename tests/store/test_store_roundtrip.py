"""put / get / has / replace / put_many on a real SQLite file."""

from __future__ import annotations

import contextlib
import math
import sqlite3
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from neuroalign.core import Score
from neuroalign.store import (DuplicateResultError, RequestKeyMismatchError, ResultRecord, ResultsStore, StoredResult,
                              request_key)


def test_score_with_nan_and_none_fields_round_trips(store):
    raw = np.array([0.25, np.nan, np.inf, -np.inf, 0.1 + 0.2])
    score = Score(value=math.nan, metric="spearman", raw=raw)
    key = ResultRecord(score, "m", "b", "1").request_key
    store.put(ResultRecord(score, "m", "b", "1"))
    back = store.get(key).score()
    assert math.isnan(back.value) and back.metric == "spearman"
    assert back.ceiling is None and back.ceiling_low is None and back.interval is None and back.null is None
    np.testing.assert_array_equal(back.raw, raw)  # exact, NaN and both infinities included
    assert back.provenance == {} and back.normalized is None and not back.exceeds_ceiling


def test_every_score_field_round_trips_exactly(store):
    score = Score(value=0.1 + 0.2, metric="kendall_tau_a", ceiling=0.7, ceiling_low=0.6, interval=(0.2, 0.4),
                  interval_level=0.9, raw=np.array([0.3, 0.31]),
                  null={"mean": 0.0, "p_value": 0.001, "n_permutations": 1000},
                  provenance={"seed": np.int64(3), "hashes": {"rdm": "abc"}})
    record = ResultRecord(score, "m", "b", "2")
    store.put(record)
    stored = store.get(record.request_key)
    back = stored.score()
    assert (back.value, back.ceiling, back.ceiling_low, back.interval, back.interval_level) == (
        0.1 + 0.2, 0.7, 0.6, (0.2, 0.4), 0.9)
    np.testing.assert_array_equal(back.raw, [0.3, 0.31])
    assert back.null == {"mean": 0.0, "p_value": 0.001, "n_permutations": 1000}
    assert back.provenance == {"seed": 3, "hashes": {"rdm": "abc"}}
    assert stored.normalized == score.normalized and stored.exceeds_ceiling is False
    with pytest.raises(ValueError):
        back.raw[0] = 1.0  # read-only, like Score's own


def test_context_round_trips(store):
    started = datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    score = Score(value=0.4, metric="pearson")
    record = ResultRecord(score, "gpt2", "pereira2018", 3, {"comparator": "pearson", "n_boot": np.int64(100),
                                                           "roi": ("IT", "V4")},
                          layer=5, kind="layer_sweep", seed=np.int64(7), started_at=started, duration_s=2.5,
                          provenance={"extra": {"host": "node1"}})
    row_id = store.put(record)
    stored = store.get(record.request_key)
    assert isinstance(stored, StoredResult) and stored.id == row_id
    assert (stored.model_id, stored.benchmark_id, stored.benchmark_version, stored.layer, stored.kind) == (
        "gpt2", "pereira2018", "3", "5", "layer_sweep")
    assert stored.parameters == {"comparator": "pearson", "n_boot": 100, "roi": ["IT", "V4"]}
    assert stored.seed == 7 and stored.duration_s == 2.5
    assert stored.started_at == "2026-03-01T10:00:00.000000+00:00"  # stored in UTC
    assert datetime.fromisoformat(stored.created_at).tzinfo is not None
    assert stored.provenance == {"extra": {"host": "node1"}}


def test_a_time_without_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        ResultRecord(Score(value=0.1, metric="x"), "m", "b", "1", started_at=datetime(2026, 1, 1))


def test_has_and_get_of_an_unknown_key(store, make_record):
    assert not store.has("0" * 64) and store.get("0" * 64) is None
    record = make_record()
    store.put(record)
    assert store.has(record.request_key)


def test_putting_an_existing_key_raises_and_keeps_the_first(store, make_record):
    first = store.put(make_record(value=0.5))
    with pytest.raises(DuplicateResultError, match="replace=True"):
        store.put(make_record(value=0.9))
    assert store.results()["id"].tolist() == [first]
    assert store.get(make_record().request_key).value == 0.5


def test_replace_overwrites_with_a_new_row(store, make_record):
    first = store.put(make_record(value=0.5))
    second = store.put(make_record(value=0.9), replace=True)
    table = store.results()
    assert second != first and table["id"].tolist() == [second] and table["value"].tolist() == [0.9]


def test_put_many_writes_all_in_order(store, make_record):
    ids = store.put_many([make_record(f"m{i}") for i in range(4)])
    assert ids == sorted(ids) and store.results()["model_id"].tolist() == ["m0", "m1", "m2", "m3"]


def test_put_many_writes_nothing_when_it_fails_midway(store, make_record):
    def records():
        yield make_record("m0")
        yield make_record("m1")
        raise RuntimeError("scoring failed")

    with pytest.raises(RuntimeError, match="scoring failed"):
        store.put_many(records())
    assert store.results().empty
    with pytest.raises(DuplicateResultError):
        store.put_many([make_record("m0"), make_record("m1"), make_record("m0")])
    assert store.results().empty
    store.put(make_record("m0"))  # the store is usable afterwards
    assert len(store.results()) == 1


def test_results_persist_and_the_journal_is_wal(tmp_path, make_record):
    path = tmp_path / "sub" / "results.sqlite"
    with ResultsStore(path) as store:
        store.put(make_record())
    with ResultsStore(path) as store:
        assert store.has(make_record().request_key)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_provenance_is_stored_leniently_but_parameters_strictly(store):
    score = Score(value=0.2, metric="x", provenance={"device": complex(1, 2), 3: "gpu", "loss": float("inf")})
    record = ResultRecord(score, "m", "b", "1")
    store.put(record)
    assert store.get(record.request_key).provenance == {"device": "(1+2j)", "3": "gpu", "loss": None}
    with pytest.raises(TypeError, match="cannot use a complex"):
        ResultRecord(score, "m", "b", "1", {"x": complex(1, 2)})


def test_put_takes_a_bare_score_with_keywords_and_checks_a_given_key(store):
    score = Score(value=0.3, metric="spearman", ceiling=0.6)
    params = {"stats": {"seed": 0}}
    key = request_key("m", "b", "1", params)
    started = datetime.now(timezone.utc)
    row_id = store.put(score, key=key, model_id="m", benchmark_id="b", benchmark_version="1", layer="fc6",
                       kind="score", parameters=params, seed=0, started_at=started, duration_s=0.5)
    stored = store.get(key)
    assert stored.id == row_id and stored.layer == "fc6" and stored.seed == 0 and stored.normalized == 0.5
    with pytest.raises(RequestKeyMismatchError, match="not the request key"):
        store.put(score, key=key, model_id="m", benchmark_id="b", benchmark_version="1", parameters={})
    with pytest.raises(TypeError, match="go with a bare Score"):
        store.put(ResultRecord(score, "m", "b", "1"), model_id="m")


def test_layer_is_described_not_keyed(store):
    score = Score(value=0.3, metric="spearman")
    store.put(ResultRecord(score, "m", "b", "1", {}, layer="fc6"))
    with pytest.raises(DuplicateResultError):  # the same request, another committed layer: a re-run, not new
        store.put(ResultRecord(score, "m", "b", "1", {}, layer="fc7"))
    store.put_many([ResultRecord(score, "m", "b", "1", {"layer": layer}, layer=layer, kind="layer_sweep")
                    for layer in ("fc6", "fc7")])  # a sweep keys each layer through its parameters
    assert store.results(kind="layer_sweep")["layer"].tolist() == ["fc6", "fc7"]
