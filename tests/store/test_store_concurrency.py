"""Several processes on one store: both writers land; a held lock gives StoreLockedError, not a hang."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from neuroalign.store import ResultsStore, StoreLockedError

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import sys, time
from neuroalign.core import Score
from neuroalign.store import ResultRecord, ResultsStore
path, name, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
time.sleep(max(0.0, start - time.time()))  # both begin together, after their (slow) imports
with ResultsStore(path, timeout=60) as store:
    for i in range(50):
        store.put(ResultRecord(Score(value=i / 50, metric="spearman"), name, "bench", "1", {"i": i}))
        time.sleep(0.005)  # computing the next score; lets the other writer in between
"""


def test_two_processes_writing_different_keys_both_land(tmp_path):
    path = tmp_path / "shared.sqlite"  # not created yet: both processes race to create it too
    start = str(time.time() + 3.0)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, start], cwd=ROOT,
                                stderr=subprocess.PIPE, text=True) for name in ("writer-a", "writer-b")]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    with ResultsStore(path) as store:
        table = store.results()
    assert len(table) == 100 and table["request_key"].is_unique
    assert table.groupby("model_id").size().to_dict() == {"writer-a": 50, "writer-b": 50}


def test_a_held_write_lock_raises_store_locked_error(tmp_path, make_record):
    path = tmp_path / "results.sqlite"
    store = ResultsStore(path, timeout=0.3)
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        with pytest.raises(StoreLockedError) as caught:
            store.put(make_record())
        waited = time.monotonic() - started
        assert str(path) in str(caught.value) and "timeout" in str(caught.value)
        assert 0.25 <= waited < 10  # it waited for the busy timeout, then gave up
        assert store.get(make_record().request_key) is None  # reads go on under WAL
        other.execute("ROLLBACK")
    store.put(make_record())  # once released, writing works
    assert store.has(make_record().request_key)
    store.close()


def test_opening_a_store_another_connection_locks_raises(tmp_path):
    path = tmp_path / "results.sqlite"
    path.touch()
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreLockedError, match="ResultsStore\\(path, timeout=...\\)"):
            ResultsStore(path, timeout=0.2)
        other.execute("ROLLBACK")
    with ResultsStore(path) as store:
        assert store.results().empty
