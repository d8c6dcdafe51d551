"""SLURM through dask-jobqueue, without a cluster: the options, and the job script sbatch would get."""

from __future__ import annotations

import pytest

from neuroalign.distributed import ExecutorOptionError
from neuroalign.distributed.slurm import cluster_options, parse_option, parse_options


def test_command_line_options_are_converted_and_lists_accumulate():
    assert parse_option("cores=8") == ("cores", 8)
    assert parse_option("job-extra-directives=--gres=gpu:1,--constraint=v100") == (
        "job_extra_directives", ["--gres=gpu:1", "--constraint=v100"])
    assert parse_options(["queue=cpu", "job_extra_directives=--exclusive", "job_extra_directives=--nice"]) == {
        "queue": "cpu", "job_extra_directives": ["--exclusive", "--nice"]}


@pytest.mark.parametrize("text, match", [("cores", "KEY=VALUE"), ("colour=red", "unknown SLURM option"),
                                         ("cores=many", "must be int")])
def test_malformed_options_are_refused(text, match):
    with pytest.raises(ExecutorOptionError, match=match):
        parse_option(text)


def test_cores_must_split_evenly_into_worker_processes():
    with pytest.raises(ExecutorOptionError, match="multiple of processes"):
        cluster_options({"cores": 6, "processes": 4})


def test_threads_and_the_shared_cache_go_into_the_prologue():
    options = cluster_options({"cores": 8, "processes": 4, "cache_dir": "/shared/acts", "jobs": 3})
    assert "jobs" not in options and "cache_dir" not in options
    assert "export OMP_NUM_THREADS=2" in options["job_script_prologue"]
    assert "export NEUROALIGN_CACHE_DIR=/shared/acts" in options["job_script_prologue"]


def test_the_generated_job_script_has_the_expected_sbatch_lines(tmp_path):
    pytest.importorskip("dask_jobqueue")
    from neuroalign.distributed.slurm import slurm_cluster

    cluster = slurm_cluster({"queue": "cpu", "account": "lab42", "cores": 4, "processes": 4, "memory": "16GB",
                             "walltime": "02:30:00", "job_extra_directives": ["--exclusive"],
                             "local_directory": str(tmp_path), "cache_dir": "/shared/acts"})
    try:  # creating the cluster starts a scheduler here and submits nothing (no sbatch needed)
        script = cluster.job_script()
    finally:
        cluster.close()
    for line in ("#SBATCH -p cpu", "#SBATCH -A lab42", "#SBATCH --cpus-per-task=4", "#SBATCH --mem=15G",
                 "#SBATCH -t 02:30:00", "#SBATCH --exclusive", "export OMP_NUM_THREADS=1",
                 "export NEUROALIGN_CACHE_DIR=/shared/acts"):
        assert line in script, line
    assert "--nworkers 4" in script and "--nthreads 1" in script and f"--local-directory {tmp_path}" in script


def test_the_executor_builds_the_slurm_cluster_and_submits_no_job_without_jobs(tmp_path):
    pytest.importorskip("dask_jobqueue")
    from neuroalign.distributed import DaskExecutor

    with DaskExecutor(cluster="slurm", queue="gpu", cores=1, processes=1, memory="8GB",
                      job_extra_directives=["--gres=gpu:1"], local_directory=str(tmp_path), jobs=0) as executor:
        executor.client  # starts the scheduler here and connects; no sbatch is run
        script = executor._owned.job_script()
        assert executor._owned.plan == set()  # nothing asked of SLURM
    assert "#SBATCH -p gpu" in script and "#SBATCH --gres=gpu:1" in script and executor._client is None
