"""A SLURM job reaching its time limit mid-task, on the real cluster: the job is replaced and the task run again
there, so the grid completes with every result, once (never a silent gap).

SLURM enforces a limit of whole minutes, checked every 30 s: a ``--time=00:01:00`` job ends 60-90 s after it
started. That is the cost of this test (about 100 s), hence ``slow``; cancelling a job (the other test file) is
the fast stand-in for the same loss of a worker.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("dask_jobqueue")

from neuroalign.benchmarks import StatsPolicy  # noqa: E402
from neuroalign.runs.grid import run  # noqa: E402
from neuroalign.distributed import DaskExecutor  # noqa: E402
from neuroalign.models import PrecomputedAdapter  # noqa: E402
from neuroalign.store import ResultsStore  # noqa: E402

from grid_helpers import GridRsa, StallOnce, features_file  # noqa: E402

HERE = Path(__file__).resolve().parent
POLICY = StatsPolicy(n_bootstrap=20, commitment="none")


@pytest.mark.slow
def test_a_job_that_reaches_its_time_limit_mid_task_is_replaced_and_the_task_rerun(slurm, tmp_path, monkeypatch):
    # the workers unpickle the benchmarks, whose classes live in this folder's grid_helpers
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), *(p for p in sys.path if p)]))
    model = PrecomputedAdapter(features_file(tmp_path, "model-a"), model_id="model-a")
    marker, attempts = tmp_path / "stalled", tmp_path / "attempts.txt"
    benches = [GridRsa("grid.quick", seed=1), StallOnce(marker, attempts, bench_id="grid.stall", seed=4)]
    store = ResultsStore(tmp_path / "slurm.sqlite")
    with DaskExecutor(cluster="slurm", partition=slurm.partition, time="00:01:00", mem="1GB", cores=1, processes=1,
                      jobs=1, interface="lo", log_directory=str(tmp_path / "logs")) as executor:
        table = run([model], benches, store=store, layers="good", stats=POLICY, cache=None, executor=executor)
    assert list(table.status) == ["scored", "scored"]
    first, *later = attempts.read_text().split()  # the job of each evaluation of the stalling benchmark
    assert marker.read_text() == first and later and later[-1] != first
    info = slurm.job_info(first)
    assert (info["JobState"], info["Reason"]) == ("TIMEOUT", "TimeLimit")
    assert len(store.results()) == 2 and store.results().request_key.is_unique
    reference = run([model], [GridRsa("grid.stall", seed=4)], store=tmp_path / "serial.sqlite", layers="good",
                    stats=POLICY, cache=None)
    assert table.value[1] == reference.value[0] and table.interval_low[1] == reference.interval_low[0]
    print(f"time limit: job {first} ended {info['RunTime']} after it started (TIMEOUT); replaced by job "
          f"{later[-1]}, which ran the task again")
