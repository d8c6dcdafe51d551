"""The PostgreSQL store on a real server: its layout and version, what it refuses, what it says, and how it copes
with a lost connection and a held lock. (Every test of the store fixture also runs on PostgreSQL.)"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from pathlib import Path

import pytest

from neuroalign.store import (ResultsStore, StoreAccessError, StoreLockedError, StoreNotFoundError, StoreSchemaError,
                              request_key)
from neuroalign.store.location import is_postgres_url, redact_url
from neuroalign.store.schema import APPLICATION_ID, COLUMNS, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


def _sql(url: str, statement: str, params=()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(statement, params or None)
        return cursor.fetchall() if cursor.description else []


def test_a_url_chooses_postgresql_and_its_password_is_never_shown():
    assert is_postgres_url("postgresql://u@h/db") and is_postgres_url("postgres://u@h/db")
    assert not is_postgres_url("results.sqlite") and not is_postgres_url(Path("postgresql:/x"))
    assert redact_url("postgresql://lab:s3cret@db:5432/scores?password=s3cret&sslmode=require") == (
        "postgresql://lab:***@db:5432/scores?password=***&sslmode=require")
    assert redact_url("postgresql://lab@db/scores") == "postgresql://lab@db/scores"


def test_a_new_store_has_the_same_columns_version_and_8_byte_numbers(postgres_url):
    with ResultsStore(postgres_url) as store:
        assert store.backend == "postgresql" and store.path is None and "***" in repr(store)
        assert postgres_url.split(":")[2].split("@")[0] not in repr(store)  # the password
    columns = _sql(postgres_url, "SELECT column_name, data_type FROM information_schema.columns WHERE "
                                 "table_name = 'results' ORDER BY ordinal_position")
    assert tuple(name for name, _ in columns) == COLUMNS
    types = dict(columns)
    assert types["value"] == types["duration_s"] == "double precision" and types["seed"] == "bigint"
    assert _sql(postgres_url, "SELECT application_id, schema_version FROM neuroalign_store") == [
        (APPLICATION_ID, SCHEMA_VERSION)]


def test_reading_an_empty_database_is_store_not_found_and_creates_nothing(postgres_url):
    with pytest.raises(StoreNotFoundError, match="no results store in postgresql://neuroalign:\\*\\*\\*@"):
        ResultsStore(postgres_url, create=False)
    assert _sql(postgres_url, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") == [
        (0,)]


def test_a_database_of_something_else_is_refused_unchanged(postgres_url):
    _sql(postgres_url, "CREATE TABLE customers (name TEXT)")
    with pytest.raises(StoreSchemaError, match="not a neuroalign results store .*customers"):
        ResultsStore(postgres_url)
    assert _sql(postgres_url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'") == [
        ("customers",)]


def test_a_store_of_a_newer_schema_is_refused_unchanged(postgres_url):
    ResultsStore(postgres_url).close()
    _sql(postgres_url, f"UPDATE neuroalign_store SET schema_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreSchemaError, match="newer neuroalign"):
        ResultsStore(postgres_url)
    assert _sql(postgres_url, "SELECT schema_version FROM neuroalign_store") == [(SCHEMA_VERSION + 1,)]


# schema version 1 in PostgreSQL types, as SQLite's version 1 (tests/store/test_store_schema.py)
V1 = """
CREATE TABLE results (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, request_key TEXT NOT NULL UNIQUE,
  model_id TEXT NOT NULL, benchmark_id TEXT NOT NULL, benchmark_version TEXT NOT NULL, layer TEXT,
  metric TEXT NOT NULL, value DOUBLE PRECISION, ceiling DOUBLE PRECISION, ceiling_low DOUBLE PRECISION,
  normalized DOUBLE PRECISION, interval_low DOUBLE PRECISION, interval_high DOUBLE PRECISION,
  interval_level DOUBLE PRECISION NOT NULL, exceeds_ceiling BIGINT NOT NULL, raw_json TEXT, null_json TEXT,
  provenance_json TEXT NOT NULL, parameters_json TEXT NOT NULL, started_at TEXT, duration_s DOUBLE PRECISION,
  created_at TEXT NOT NULL);
CREATE TABLE neuroalign_store (one_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one_row),
  application_id BIGINT NOT NULL, schema_version INTEGER NOT NULL);
"""


def _v1_store(url: str) -> None:
    for statement in filter(str.strip, V1.split(";")):
        _sql(url, statement)
    _sql(url, "INSERT INTO neuroalign_store (application_id, schema_version) VALUES (%s, 1)", (APPLICATION_ID,))
    for i, (layer, params) in enumerate([(None, '{"n_boot": 100}'), ("fc6", '{"n_boot": 200}')]):
        _sql(url, "INSERT INTO results (request_key, model_id, benchmark_id, benchmark_version, layer, metric, value, "
                  "interval_level, exceeds_ceiling, provenance_json, parameters_json, created_at) VALUES (%s, %s, "
                  "'bench', '1', %s, 'spearman', %s, 0.95, 0, %s, %s, '2025-01-01T00:00:00.000000+00:00')",
             (f"old-key-{i}", f"model-{i}", layer, 0.1 * (i + 1),
              '{"stimuli": {"scored": 90, "total": 92}}' if i else "{}", params))


def _open_store(url: str) -> None:  # runs in a forked process
    ResultsStore(url, timeout=30).close()


def test_a_v1_store_is_migrated_by_the_same_migrations_once_while_processes_open_it_at_once(postgres_url):
    import multiprocessing

    _v1_store(postgres_url)
    context = multiprocessing.get_context("fork")
    openers = [context.Process(target=_open_store, args=(postgres_url,)) for _ in range(3)]
    for opener in openers:
        opener.start()
    for opener in openers:
        opener.join(60)
    # one migrated it under the advisory lock; the others waited and found it current (a second run would fail)
    assert [opener.exitcode for opener in openers] == [0, 0, 0]
    with ResultsStore(postgres_url) as store:
        table = store.results()
        assert table["kind"].tolist() == ["score", "score"] and table["seed"].isna().all()
        assert table["n_scored"].tolist()[1] == 90 and table["n_stimuli"].isna().tolist() == [True, False]
        assert store.get(request_key("model-1", "bench", "1", {"n_boot": 200})).layer == "fc6"
    assert _sql(postgres_url, "SELECT schema_version FROM neuroalign_store") == [(SCHEMA_VERSION,)]


def test_processes_creating_one_new_store_at_once_create_it_once(postgres_server):
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for round_ in range(4):  # without the advisory lock, nearly every round failed in one of the processes
        name = f"race_{round_}"
        url = postgres_server.create_database(name)
        try:
            openers = [context.Process(target=_open_store, args=(url,)) for _ in range(3)]
            for opener in openers:
                opener.start()
            for opener in openers:
                opener.join(60)
            assert [opener.exitcode for opener in openers] == [0, 0, 0]
            assert _sql(url, "SELECT count(*) FROM neuroalign_store") == [(1,)]
        finally:
            postgres_server.drop_database(name)


def test_a_server_that_refuses_the_login_is_named_without_the_password(postgres_server, postgres_url):
    wrong = postgres_url.replace(postgres_server.password, "not-the-password")
    with pytest.raises(StoreAccessError) as caught:
        ResultsStore(wrong, timeout=2)
    message = str(caught.value)
    assert "password authentication failed" in message and "not-the-password" not in message
    assert "postgresql://neuroalign:***@127.0.0.1" in message
    with pytest.raises(StoreAccessError, match="does not exist.*createdb"):
        ResultsStore(postgres_url.rsplit("/", 1)[0] + "/no_such_db", timeout=2)


def test_a_store_whose_connection_the_server_dropped_reconnects(postgres_url, make_record):
    with ResultsStore(postgres_url) as store:
        store.put(make_record("model-a"))
        _sql(postgres_url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
                           "'neuroalign' AND pid <> pg_backend_pid()")
        assert store.has(make_record("model-a").request_key)  # a read, on a new connection
        _sql(postgres_url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
                           "'neuroalign' AND pid <> pg_backend_pid()")
        store.put(make_record("model-b"))  # a write, on a new connection
        assert store.results()["model_id"].tolist() == ["model-a", "model-b"]


def test_a_held_lock_raises_store_locked_error_after_the_timeout(postgres_url, make_record):
    import psycopg

    store = ResultsStore(postgres_url, timeout=0.3)
    with contextlib.closing(psycopg.connect(postgres_url)) as other:
        other.execute("LOCK TABLE results IN EXCLUSIVE MODE")  # blocks writers, not readers
        started = time.monotonic()
        with pytest.raises(StoreLockedError, match="is locked.*timeout=") as caught:
            store.put(make_record())
        assert 0.25 <= time.monotonic() - started < 10 and "***" in str(caught.value)
        assert store.get(make_record().request_key) is None
        other.rollback()
    store.put(make_record())
    assert store.has(make_record().request_key)
    store.close()


def test_an_sqlite_store_imports_no_postgresql_driver_and_a_missing_driver_is_named(tmp_path):
    code = ("import sys; from neuroalign.store import ResultsStore; ResultsStore(sys.argv[1]).close(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'psycopg'))")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "r.sqlite")], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"
    # a Python without psycopg (None in sys.modules makes its import fail, as an absent package does)
    code = ("import sys; sys.modules['psycopg'] = None; from neuroalign.cli.main import main; "
            "sys.exit(main(['leaderboard', '--store', 'postgresql://lab:pw@localhost/scores']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and "pip install 'neuroalign[postgres]'" in done.stderr


def test_the_results_variable_may_hold_a_url(postgres_url, make_record, monkeypatch, capsys):
    from neuroalign.cli.main import main

    with ResultsStore(postgres_url) as store:
        store.put(make_record("model-in-postgres"))
    monkeypatch.setenv("NEUROALIGN_RESULTS", postgres_url)
    assert main(["leaderboard"]) == 0 and "model-in-postgres" in capsys.readouterr().out
