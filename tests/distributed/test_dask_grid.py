"""The grid on a real 2-worker local Dask cluster: same results as serial, a killed worker, an interrupted run."""

from __future__ import annotations

import threading

import numpy as np
import pytest

pytest.importorskip("distributed")

from neuroalign.benchmarks import StatsPolicy  # noqa: E402
from neuroalign.runs.grid import run  # noqa: E402
from neuroalign.distributed import DaskExecutor, UnshippableModelError  # noqa: E402
from neuroalign.distributed.units import check_shippable  # noqa: E402
from neuroalign.models import PrecomputedAdapter  # noqa: E402
from neuroalign.store import ResultsStore  # noqa: E402

from grid_helpers import GridRsa, KillOnce, features_file  # noqa: E402

POLICY = StatsPolicy(n_bootstrap=40, seed=3)


@pytest.fixture(scope="module")
def cluster():
    """One 2-worker local cluster for the module, closed (worker processes ended) at its end."""
    executor = DaskExecutor(workers=2, retries=2)
    try:
        yield executor
    finally:
        executor.close()


@pytest.fixture()
def models(tmp_path):
    return [PrecomputedAdapter(features_file(tmp_path, name, noise=noise, seed=seed), model_id=name)
            for name, noise, seed in (("model-a", 0.5, 2), ("model-b", 2.0, 5))]


def _same_results(store_a: ResultsStore, store_b: ResultsStore, keys) -> None:
    for key in keys:
        a, b = store_a.get(key).score(), store_b.get(key).score()
        assert a.value == b.value and a.ceiling == b.ceiling and a.interval == b.interval
        np.testing.assert_array_equal(a.raw, b.raw)
        assert a.provenance["commitment"]["layer"] == b.provenance["commitment"]["layer"]


def test_a_dask_grid_equals_the_serial_grid_bit_for_bit(tmp_path, models, cluster):
    benches = [GridRsa("grid.one", seed=1), GridRsa("grid.two", n_subjects=5, seed=7)]
    serial_store, dask_store = ResultsStore(tmp_path / "serial.sqlite"), ResultsStore(tmp_path / "dask.sqlite")
    serial = run(models, benches, store=serial_store, layers=["good", "noise"], stats=POLICY, cache=None)
    spread = run(models, benches, store=dask_store, layers=["good", "noise"], stats=POLICY, cache=None,
                 executor=cluster)
    assert list(spread.status) == ["scored"] * 4
    assert list(spread.model) == list(serial.model) and list(spread.benchmark) == list(serial.benchmark)
    for column in ("value", "interval_low", "interval_high", "ceiling", "key", "layer"):
        assert list(spread[column]) == list(serial[column]), column
    _same_results(serial_store, dask_store, serial.key)
    assert len(dask_store.results()) == 4
    again = run(models, benches, store=dask_store, layers=["good", "noise"], stats=POLICY, cache=None,
                executor=cluster)
    assert list(again.status) == ["stored"] * 4


def test_workers_know_their_memory_limit_and_run_the_setup_plugin(cluster):
    from neuroalign.distributed.memory import worker_memory_limit

    assert cluster.client.submit(worker_memory_limit, pure=False).result() > 0
    plugins = cluster.client.run(lambda dask_worker: sorted(dask_worker.plugins))
    assert all("neuroalign-grid-worker" in names for names in plugins.values())


def test_workers_of_an_owned_cluster_run_one_thread_and_no_profiler(cluster):
    """Issue 20, item 8: no BLAS or torch oversubscription (one thread per single-threaded worker), and Dask's
    statistical profiler, which took the GIL from every task 100 times a second, stopped."""
    from threadpoolctl import threadpool_info

    from neuroalign.distributed.worker_setup import PROFILER_CALLBACKS

    callbacks = cluster.client.run(lambda dask_worker: sorted(dask_worker.periodic_callbacks))
    assert len(callbacks) == 2 and not any(set(PROFILER_CALLBACKS) & set(names) for names in callbacks.values())
    threads = cluster.client.run(lambda: sorted({info["num_threads"] for info in threadpool_info()}))
    assert all(counts == [1] for counts in threads.values()), threads


def test_workers_of_a_given_scheduler_keep_their_profiler():
    """A scheduler given by address may serve others: the grid leaves its workers' profiler alone."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as local, \
            DaskExecutor(scheduler=local.scheduler_address) as executor:
        callbacks = executor.client.run(lambda dask_worker: sorted(dask_worker.periodic_callbacks))
    assert all("profile" in names for names in callbacks.values())


def test_a_killed_worker_costs_only_its_task_which_is_retried(tmp_path, models, cluster):
    marker, attempts = tmp_path / "killed", tmp_path / "attempts.txt"
    policy = StatsPolicy(n_bootstrap=20, commitment="none")
    benches = [GridRsa("grid.calm"), KillOnce(marker, attempts, bench_id="grid.kill", seed=4)]
    store = ResultsStore(tmp_path / "r.sqlite")
    table = run(models[:1], benches, store=store, layers="good", stats=policy, cache=None, executor=cluster)
    assert list(table.status) == ["scored", "scored"]
    pids = attempts.read_text().split()
    assert len(pids) == 2 and pids[0] == marker.read_text() and pids[1] != pids[0]  # killed once, re-run elsewhere
    assert len(store.results()) == 2 and len(set(store.results().request_key)) == 2
    # The retried task's result is the one a serial run computes.
    reference = run(models[:1], [GridRsa("grid.kill", seed=4)], store=tmp_path / "serial.sqlite", layers="good",
                    stats=policy, cache=None)
    assert table.value[1] == reference.value[0] and table.interval_low[1] == reference.interval_low[0]


def test_an_interrupted_dask_run_resumes_with_only_the_missing_tasks(tmp_path, models, cluster):
    benches = [GridRsa(f"grid.b{k}", seed=k + 1) for k in range(3)]
    store = ResultsStore(tmp_path / "r.sqlite")

    def stop_after_first(row):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(models[:1], benches, store=store, layers=["good", "noise"], stats=POLICY, cache=None, executor=cluster,
            on_result=stop_after_first)
    assert len(store.results()) == 1
    done = store.results().benchmark_id[0]
    seen = []
    table = run(models[:1], benches, store=store, layers=["good", "noise"], stats=POLICY, cache=None,
                executor=cluster, on_result=seen.append)
    assert sorted(table.status) == ["scored", "scored", "stored"]
    assert table.status[table.benchmark == done].item() == "stored"
    assert len(store.results()) == 3 and len(seen) == 3


class _Unpicklable(PrecomputedAdapter):
    def __init__(self, path, **options):
        super().__init__(path, **options)
        self.lock = threading.Lock()


def test_an_adapter_that_does_not_pickle_is_refused_with_a_clear_error(tmp_path):
    adapter = _Unpicklable(features_file(tmp_path, "m"), model_id="locked")
    with pytest.raises(UnshippableModelError, match="registered model id"):
        check_shippable(adapter)
    check_shippable(PrecomputedAdapter(features_file(tmp_path, "m"), model_id="fine"))
