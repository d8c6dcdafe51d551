"""A Dask grid and two other processes writing one PostgreSQL store at once: no duplicate and no lost row."""

from __future__ import annotations

import multiprocessing

import pytest

pytest.importorskip("distributed")

from neuroalign.benchmarks import StatsPolicy  # noqa: E402
from neuroalign.runs.grid import run  # noqa: E402
from neuroalign.core import Score  # noqa: E402
from neuroalign.distributed import DaskExecutor  # noqa: E402
from neuroalign.models import PrecomputedAdapter  # noqa: E402
from neuroalign.store import ResultRecord, ResultsStore  # noqa: E402

from grid_helpers import GridRsa, features_file  # noqa: E402

POLICY = StatsPolicy(n_bootstrap=30, seed=3)


def _grid(folder):
    models = [PrecomputedAdapter(features_file(folder, name, noise=noise, seed=seed), model_id=name)
              for name, noise, seed in (("model-a", 0.5, 2), ("model-b", 2.0, 5))]
    return models, [GridRsa(f"grid.b{k}", seed=k + 1) for k in range(3)]


def _serial_grid(url, folder, barrier, statuses) -> None:  # a forked process: the same grid, serially
    models, benches = _grid(folder)
    barrier.wait()
    table = run(models, benches, store=url, layers=["good", "noise"], stats=POLICY, cache=None, progress=False)
    statuses.put(list(zip(table.key, table.status)))


def _other_writer(url, barrier) -> None:  # a forked process: 50 unrelated results, one transaction each
    with ResultsStore(url, timeout=60) as store:
        barrier.wait()
        for i in range(50):
            store.put(ResultRecord(Score(value=i / 50, metric="spearman"), "other", "bench", "1", {"i": i}))


def test_a_dask_grid_and_two_processes_write_one_postgresql_store_at_once(postgres_url, tmp_path):
    ResultsStore(postgres_url).close()
    context = multiprocessing.get_context("fork")
    barrier, statuses = context.Barrier(3), context.Queue()
    others = [context.Process(target=_serial_grid, args=(postgres_url, tmp_path, barrier, statuses)),
              context.Process(target=_other_writer, args=(postgres_url, barrier))]
    for process in others:
        process.start()
    models, benches = _grid(tmp_path)
    with DaskExecutor(workers=2) as executor:
        executor.client  # the workers are up before the race starts
        barrier.wait()
        table = run(models, benches, store=postgres_url, layers=["good", "noise"], stats=POLICY, cache=None,
                    executor=executor, progress=False)
    serial = dict(statuses.get(timeout=120))
    for process in others:
        process.join(120)
    assert [process.exitcode for process in others] == [0, 0]
    with ResultsStore(postgres_url) as store:
        stored = store.results()
        assert len(stored) == 6 + 50 and stored.request_key.is_unique
        for key, status in zip(table.key, table.status):
            # each request was written by exactly one of the two grids; the other found it stored
            assert sorted([status, serial[key]]) == ["scored", "stored"]
            assert store.get(key).value == table.value[table.key == key].item()
