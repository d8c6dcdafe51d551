"""The SLURM job script under bash: hostile paths reach the workers exactly, and nothing in a value runs.

Issue 14, item 8. The generated script is run by bash for real, with a stub in place of the Python interpreter
that records the arguments and environment it was started with; ``sbatch`` would run the same lines.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from neuroalign.distributed import ExecutorOptionError
from neuroalign.distributed.slurm import cluster_options

HOSTILE = "acts dir;touch pwned_by_cache_dir $(touch pwned_by_subshell) 'q' \"dq\" `touch pwned_by_backtick`"


def _stub_interpreter(folder) -> str:
    """An executable that writes its argv and NEUROALIGN_CACHE_DIR as JSON next to itself."""
    folder.mkdir(parents=True)
    stub = folder / "python"
    stub.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import json, os, sys
        with open({str(folder / "seen.json")!r}, "w") as fh:
            json.dump({{"argv": sys.argv[1:], "cache": os.environ.get("NEUROALIGN_CACHE_DIR")}}, fh)
        """))
    stub.chmod(0o755)
    return str(stub)


@pytest.mark.skipif(shutil.which("bash") is None, reason="the job script is a bash script")
def test_job_script_run_by_bash_passes_hostile_paths_exactly_and_runs_nothing(tmp_path):
    pytest.importorskip("dask_jobqueue")
    from neuroalign.distributed.slurm import slurm_cluster

    cache_dir = str(tmp_path / HOSTILE)
    scratch = str(tmp_path / "scratch; touch pwned_by_local_directory")
    stub = _stub_interpreter(tmp_path / "inter preter;touch pwned_by_python")
    cluster = slurm_cluster({"cores": 2, "processes": 1, "cache_dir": cache_dir, "local_directory": scratch,
                             "python": stub, "worker_extra_args": ["--resources", "GPU=1;touch pwned_by_extra"],
                             "job_extra_directives": ["--exclusive"]})
    try:  # creating the cluster starts a scheduler here and submits nothing
        script = cluster.job_script()
    finally:
        cluster.close()
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "job.sh").write_text(script)
    done = subprocess.run(["bash", "job.sh"], cwd=run_dir, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NEUROALIGN_CACHE_DIR": "/wrong/inherited"})
    assert done.returncode == 0, done.stderr
    seen = json.loads((tmp_path / "inter preter;touch pwned_by_python" / "seen.json").read_text())
    assert seen["cache"] == cache_dir, "the workers must get the exact cache directory"
    argv = seen["argv"]
    assert argv[:2] == ["-m", "distributed.cli.dask_worker"]
    assert argv[argv.index("--local-directory") + 1] == scratch
    assert argv[argv.index("--resources") + 1] == "GPU=1;touch pwned_by_extra"
    assert "--nthreads" in argv and argv[argv.index("--nthreads") + 1] == "2"
    pwned = [p for p in tmp_path.rglob("pwned*")]
    assert pwned == [], f"a value ran as a command: {pwned}"
    assert "#SBATCH --exclusive" in script and "export OMP_NUM_THREADS=2" in script


def test_prologue_lines_alone_under_bash_export_the_exact_path(tmp_path):
    cache_dir = str(tmp_path / HOSTILE)
    prologue = cluster_options({"cache_dir": cache_dir})["job_script_prologue"]
    shown = subprocess.run(["bash", "-c", "\n".join(prologue) + '\nprintf %s "$NEUROALIGN_CACHE_DIR"'],
                           cwd=tmp_path, capture_output=True, text=True, timeout=30, check=True).stdout
    assert shown == cache_dir and not list(tmp_path.glob("pwned*"))


@pytest.mark.parametrize("option, value", [
    ("queue", "cpu;touch pwned"), ("account", "lab 42"), ("log_directory", "/logs/$(whoami)"),
    ("walltime", "04:00:00\ntouch pwned"), ("name", "grid`id`"),
])
def test_values_pasted_into_sbatch_lines_must_be_plain_words(option, value):
    with pytest.raises(ExecutorOptionError, match=f"SLURM option {option}=.*#SBATCH line"):
        cluster_options({option: value})


@pytest.mark.parametrize("option, value", [("job_extra_directives", ["--exclusive\ntouch pwned"]),
                                           ("shebang", "#!/bin/bash\ntouch pwned")])
def test_line_breaks_in_free_form_lines_are_refused(option, value):
    with pytest.raises(ExecutorOptionError, match=f"SLURM option {option}=.*line break"):
        cluster_options({option: value})


def test_ordinary_values_are_left_readable():
    options = cluster_options({"cache_dir": "/shared/acts", "local_directory": "/scratch/me", "queue": "gpu-a100",
                               "walltime": "1-00:00:00", "memory": "64GB", "python": "/opt/venv/bin/python"})
    assert "export NEUROALIGN_CACHE_DIR=/shared/acts" in options["job_script_prologue"]
    assert options["local_directory"] == "/scratch/me" and options["python"] == "/opt/venv/bin/python"
