"""Opening files: an older store is upgraded in place; a newer store or a foreign file is refused, unchanged."""

from __future__ import annotations

import contextlib
import sqlite3

import pytest

from neuroalign.store import ResultsStore, StoreSchemaError, request_key
from neuroalign.store.schema import APPLICATION_ID, SCHEMA_VERSION

# schema version 1, as the docs describe it: no kind, no seed
V1 = f"""
CREATE TABLE results (id INTEGER PRIMARY KEY AUTOINCREMENT, request_key TEXT NOT NULL UNIQUE,
  model_id TEXT NOT NULL, benchmark_id TEXT NOT NULL, benchmark_version TEXT NOT NULL, layer TEXT,
  metric TEXT NOT NULL, value REAL, ceiling REAL, ceiling_low REAL, normalized REAL, interval_low REAL,
  interval_high REAL, interval_level REAL NOT NULL, exceeds_ceiling INTEGER NOT NULL, raw_json TEXT, null_json TEXT,
  provenance_json TEXT NOT NULL, parameters_json TEXT NOT NULL, started_at TEXT, duration_s REAL,
  created_at TEXT NOT NULL);
CREATE INDEX results_model_benchmark ON results (model_id, benchmark_id, benchmark_version);
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = 1;
"""

V1_ROW = ("INSERT INTO results (request_key, model_id, benchmark_id, benchmark_version, layer, metric, value, "
          "ceiling, normalized, interval_low, interval_high, interval_level, exceeds_ceiling, raw_json, "
          "provenance_json, parameters_json, created_at) VALUES (?, ?, 'bench', '1', ?, 'spearman', ?, 0.5, ?, "
          "NULL, NULL, 0.95, 0, '[0.1, 0.2]', '{\"git\": \"abc\"}', ?, '2025-01-01T00:00:00.000000+00:00')")


def _v1_store(path, parameters_json=('{"n_boot": 100}', '{"n_boot": 200}')):
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.executescript(V1)
        for i, params in enumerate(parameters_json):
            conn.execute(V1_ROW, (f"old-key-{i}", f"model-{i}", None if i == 0 else "fc6", 0.1 * (i + 1),
                                  0.2 * (i + 1), params))
        conn.commit()


def _pragma(path, name):
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]


def test_a_v1_store_is_migrated_in_place_and_keeps_its_rows(tmp_path, make_record):
    path = tmp_path / "old.sqlite"
    _v1_store(path)
    with ResultsStore(path) as store:
        table = store.results()
        assert table["id"].tolist() == [1, 2] and table["model_id"].tolist() == ["model-0", "model-1"]
        assert table["kind"].tolist() == ["score", "score"] and table["seed"].isna().all()
        assert table["value"].tolist() == [0.1, 0.2] and table["layer"].tolist() == [None, "fc6"]
        # keys were recomputed, so the same request made today finds the old row
        key = request_key("model-1", "bench", "1", {"n_boot": 200})
        stored = store.get(key)
        assert stored is not None and stored.provenance == {"git": "abc"} and stored.score().normalized == 0.4
        store.put(make_record(kind="alignment", seed=1))
    assert _pragma(path, "user_version") == SCHEMA_VERSION
    with ResultsStore(path) as store:
        assert store.results()["kind"].tolist() == ["score", "score", "alignment"]


def test_a_failed_migration_leaves_the_file_at_v1(tmp_path):
    path = tmp_path / "old.sqlite"
    _v1_store(path, parameters_json=('{"n_boot": 100}', "not json"))
    before = path.read_bytes()
    with pytest.raises(StoreSchemaError, match="row 2 has unreadable parameters_json"):
        ResultsStore(path)
    assert path.read_bytes() == before and _pragma(path, "user_version") == 1


def test_a_store_of_a_newer_schema_is_refused_unchanged(tmp_path):
    path = tmp_path / "new.sqlite"
    ResultsStore(path).close()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(StoreSchemaError, match="newer neuroalign"):
        ResultsStore(path)
    assert path.read_bytes() == before


def test_another_sqlite_database_is_refused_unchanged(tmp_path):
    path = tmp_path / "crm.sqlite"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.executescript("CREATE TABLE customers (name TEXT); INSERT INTO customers VALUES ('ada');")
    before = path.read_bytes()
    with pytest.raises(StoreSchemaError, match="not a neuroalign results store .*customers"):
        ResultsStore(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.sqlite"]  # no WAL or journal left behind


@pytest.mark.parametrize("content", [b"model,score\nalexnet,0.5\n", b"\x89PNG\r\n\x1a\n" + bytes(200), b"SQLite"])
def test_a_file_that_is_not_sqlite_is_refused_unchanged(tmp_path, content):
    path = tmp_path / "results.csv"
    path.write_bytes(content)
    with pytest.raises(StoreSchemaError, match="not an SQLite database"):
        ResultsStore(path)
    assert path.read_bytes() == content


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(StoreSchemaError, match="is a directory"):
        ResultsStore(tmp_path)


def test_an_empty_file_becomes_a_store(tmp_path, make_record):
    path = tmp_path / "empty.sqlite"
    path.touch()
    with ResultsStore(path) as store:
        store.put(make_record())
    assert _pragma(path, "application_id") == APPLICATION_ID and _pragma(path, "user_version") == SCHEMA_VERSION
