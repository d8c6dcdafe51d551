"""Grids on a real SLURM cluster (the session's one-node cluster: slurmctld + slurmd, two CPU slots).

``neuroalign run --cluster slurm`` submits real jobs through dask-jobqueue; their workers start under slurmd and
load the models and benchmarks by id. The issue's end-to-end case: 3 models x 3 benchmarks through SLURM jobs
into a PostgreSQL store, one worker job cancelled while it runs a task, and the result equal to the serial run
into SQLite. Then the shared activation cache used by two jobs at once.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("dask_jobqueue")

from neuroalign.cli.main import main  # noqa: E402
from neuroalign.store import ResultsStore  # noqa: E402

from slurm_grid_plugins import BENCHMARKS, MODELS, write_dist_info, write_features  # noqa: E402

HERE = Path(__file__).resolve().parent


def _pythonpath(*first: Path) -> str:
    """This interpreter's import path, for processes (and SLURM jobs) that must import what it imports."""
    return os.pathsep.join([*map(str, first), *(p for p in sys.path if p)])


def test_the_cluster_runs_a_batch_job(slurm, tmp_path):
    out = tmp_path / "out.txt"
    job = slurm.sbatch("-o", "/dev/null", "--wrap", f"echo $SLURM_JOB_ID > {shlex.quote(str(out))}")
    assert slurm.wait_job(job, timeout=60) == "COMPLETED" and out.read_text().strip() == job
    assert slurm.node_state() in ("idle", "mixed", "completing")
    print(f"SLURM cluster: started in {slurm.startup_s:.2f} s; a batch job took {slurm.job_info(job)['RunTime']}")


def _in_flight(log: Path, process: subprocess.Popen, timeout: float) -> str:
    """The job id of an evaluation under way once another has finished (the grid is midway)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the grid ended before a job could be cancelled:\n{process.stderr.read()}")
        # a line still being appended has fewer than its 4 fields: left for the next look
        lines = [line.split() for line in log.read_text().splitlines()] if log.exists() else []
        lines = [line for line in lines if len(line) == 4]
        ended = {line[3] for line in lines if line[0] == "end"}
        running = [line[1] for line in lines if line[0] == "start" and line[3] not in ended]
        if ended and running:
            return running[0]
        time.sleep(0.05)
    raise AssertionError(f"no evaluation was under way within {timeout} s")


def _same_scores(serial: ResultsStore, shared: ResultsStore) -> int:
    """Every result of the serial store is in the shared one, bit for bit; returns how many were compared."""
    a, b = serial.results(), shared.results()
    assert sorted(a.request_key) == sorted(b.request_key) and b.request_key.is_unique
    for key in a.request_key:
        x, y = serial.get(key), shared.get(key)
        assert (x.value, x.ceiling, x.ceiling_low, x.normalized, x.interval, x.layer, x.metric, x.n_scored) == (
            y.value, y.ceiling, y.ceiling_low, y.normalized, y.interval, y.layer, y.metric, y.n_scored)
        np.testing.assert_array_equal(x.raw, y.raw)
        assert x.parameters == y.parameters and x.null == y.null
    return len(a)


def test_a_3x3_grid_on_slurm_jobs_into_postgresql_survives_a_cancelled_job_and_equals_the_serial_sqlite_run(
        slurm, postgres_url, tmp_path, monkeypatch, capsys):
    site, features, logs = tmp_path / "site", tmp_path / "features", tmp_path / "job-logs"
    features.mkdir()
    write_features(features)
    write_dist_info(site)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("NEUROALIGN_TEST_FEATURES", str(features))
    grid = ["run", *(a for m in MODELS for a in ("-m", m)), *(a for b in BENCHMARKS for a in ("-b", b)),
            "--layer", "good", "--layer", "noise", "--bootstrap", "40", "--seed", "3", "--cache", str(tmp_path / "a")]
    serial_store = tmp_path / "serial.sqlite"
    started = time.monotonic()
    assert main([*grid, "--store", str(serial_store)]) == 0
    serial_s = time.monotonic() - started
    capsys.readouterr()

    # the jobs' environment comes from a setup script (a path with a space: it is quoted in the job script)
    setup, ran = tmp_path / "job setup.sh", tmp_path / "setup-ran.txt"
    setup.write_text(f"echo \"$SLURM_JOB_ID\" >> {shlex.quote(str(ran))}\nexport NEUROALIGN_TEST_TASK_SLEEP=0.4\n")
    attempts = tmp_path / "attempts.txt"
    env = {**os.environ, "PYTHONPATH": _pythonpath(site, HERE), "NEUROALIGN_TEST_ATTEMPTS": str(attempts)}
    command = [sys.executable, "-m", "neuroalign", *grid, "--store", postgres_url, "--cluster", "slurm",
               "--partition", slurm.partition, "--jobs", "2", "--cores", "1", "--processes", "1", "--mem", "1GB",
               "--time", "00:10:00", "--setup-script", str(setup), "--slurm-option", "interface=lo",
               "--slurm-option", f"log_directory={logs}"]
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        victim = _in_flight(attempts, process, timeout=240)
        slurm.run("scancel", victim)
        out, err = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
    slurm_s = time.monotonic() - started
    assert process.returncode == 0, err[-3000:]
    assert out.count("scored   ") == 9
    assert slurm.job_state(victim) == "CANCELLED"
    lines = [line.split() for line in attempts.read_text().splitlines()]
    cut = [line for line in lines if line[0] == "start" and line[1] == victim and
           ["end", *line[1:]] not in lines]
    assert cut, "the cancelled job was running a task"
    jobs = set(ran.read_text().split())
    assert victim in jobs and len(jobs) >= 2  # every job sourced the setup script
    with ResultsStore(serial_store) as serial, ResultsStore(postgres_url) as shared:
        compared = _same_scores(serial, shared)
    assert compared == 9
    print(f"3x3 grid: serial {serial_s:.1f} s; on SLURM with job {victim} cancelled mid-task {slurm_s:.1f} s "
          f"(jobs {sorted(jobs, key=int)}); {compared} results equal to the serial run")


def test_two_slurm_jobs_share_one_extraction_through_the_activation_cache(slurm, tmp_path):
    """Two batch jobs ask for the same model x stimuli at the same time: one extracts (under the cache's file
    lock), the other waits and reads the finished entry."""
    cache, counter, barrier = tmp_path / "cache", tmp_path / "forward_passes.txt", tmp_path / "barrier"
    barrier.mkdir()
    worker = HERE / "cache_race_worker.py"
    jobs = []
    for k in range(2):
        command = shlex.join([sys.executable, str(worker), str(cache), str(counter), str(barrier),
                              str(tmp_path / f"out{k}.npy")])
        jobs.append(slurm.sbatch("-o", str(tmp_path / f"job{k}.log"), "--export", "ALL",
                                 "--wrap", f"export PYTHONPATH={shlex.quote(_pythonpath())}; {command}"))
    for k, job in enumerate(jobs):
        assert slurm.wait_job(job, timeout=180) == "COMPLETED", (tmp_path / f"job{k}.log").read_text()
    passes = counter.read_text().split()
    assert len(passes) == 4 and len(set(passes)) == 1  # 8 stimuli in batches of 2, all in one job's process
    np.testing.assert_array_equal(np.load(tmp_path / "out0.npy"), np.load(tmp_path / "out1.npy"))
    from neuroalign.cache import ActivationCache

    entries = ActivationCache(cache).entries()
    assert len(entries) == 1 and entries[0].complete
