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


def _race(target: str, mode: str, order: str, batch: int, barrier, inserted) -> None:
    """One writer of the race below (a forked process): the same 120 requests, in its own order and batches."""
    from neuroalign.core import Score
    from neuroalign.store import ResultRecord

    records = [ResultRecord(Score(value=i / 120, metric="spearman"), f"model-{i % 7}", "bench", "1", {"i": i})
               for i in range(120)]
    if order == "reversed":
        records.reverse()
    with ResultsStore(target, timeout=60) as store:
        barrier.wait()  # both write the same keys at the same moment
        for start in range(0, len(records), batch):
            chunk = records[start:start + batch]
            if mode == "keep":
                ids = store.put_if_absent(chunk)
            else:
                ids = store.put_many(chunk, replace=True)
            inserted.put(sum(i is not None for i in ids))


@pytest.mark.parametrize("mode, batch", [("keep", 1), ("keep", 15), ("replace", 15)])
def test_two_writers_of_the_same_requests_leave_one_row_each(store_target, mode, batch):
    """No duplicate and no lost row, on both backends: one row per request, each inserted by exactly one writer
    (keep), or replaced by the later one (replace). Batches in opposite orders make PostgreSQL deadlock; the
    transaction that it aborts runs again."""
    import multiprocessing

    ResultsStore(store_target).close()
    context = multiprocessing.get_context("fork")
    barrier, inserted = context.Barrier(2), context.Queue()
    writers = [context.Process(target=_race, args=(store_target, mode, order, batch, barrier, inserted))
               for order in ("forward", "reversed")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
    assert [writer.exitcode for writer in writers] == [0, 0]
    counts = [inserted.get(timeout=10) for _ in range(2 * -(-120 // batch))]
    with ResultsStore(store_target) as store:
        table = store.results()
    assert len(table) == 120 and table["request_key"].is_unique
    assert sorted(table["value"]) == [i / 120 for i in range(120)]
    assert sum(counts) == (120 if mode == "keep" else 240)  # keep: each key once; replace: every write landed
