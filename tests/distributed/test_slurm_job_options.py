"""SLURM job options in sbatch's words (``neuroalign run --partition --account --time --mem --gpus --sbatch
--setup-script``, a ``[slurm]`` config file, or Python), checked in the job script sbatch would get."""

from __future__ import annotations

import subprocess

import pytest

from neuroalign.cli.main import build_parser, main
from neuroalign.cli.run_command import make_executor
from neuroalign.distributed import ExecutorOptionError
from neuroalign.distributed.job_options import load_config, normalise
from neuroalign.distributed.slurm import SLURM_OPTIONS, cluster_options

HOSTILE = "set up; touch pwned_by_setup $(touch pwned_by_subshell) 'q' `touch pwned_by_backtick`"


def _executor(*extra):
    return make_executor(build_parser().parse_args(["run", "-m", "m", "-b", "b", "--cluster", "slurm", *extra]))


def _job_script(options) -> str:
    pytest.importorskip("dask_jobqueue")
    from neuroalign.distributed.slurm import slurm_cluster

    cluster = slurm_cluster({**options, "jobs": 0})
    try:  # creating the cluster starts a scheduler here and submits nothing
        return cluster.job_script()
    finally:
        cluster.close()


def test_the_flags_become_the_job_scripts_lines(tmp_path):
    setup = tmp_path / "env.sh"
    setup.write_text("export FROM_SETUP=1\n")
    executor = _executor("--partition", "gpu", "--account", "lab42", "--time", "00:30:00", "--mem", "8GB",
                         "--gpus", "a100:2", "--sbatch", "qos=high", "--sbatch=--exclusive", "--sbatch",
                         "#SBATCH --constraint=avx2", "--setup-script", str(setup), "--jobs", "3", "--cores", "2",
                         "--processes", "1")
    assert executor.options["jobs"] == 3 and executor.options["queue"] == "gpu"
    script = _job_script(executor.options)
    for line in ("#SBATCH -p gpu", "#SBATCH -A lab42", "#SBATCH -t 00:30:00", "#SBATCH --mem=8G",
                 "#SBATCH --gpus=a100:2", "#SBATCH --qos=high", "#SBATCH --exclusive", "#SBATCH --constraint=avx2",
                 "#SBATCH --cpus-per-task=2", f"source {setup}", "export OMP_NUM_THREADS=2"):
        assert line in script, line


def test_a_config_file_gives_the_options_and_the_command_line_wins(tmp_path):
    (tmp_path / "env.sh").write_text("true\n")
    config = tmp_path / "slurm.toml"
    config.write_text('[slurm]\npartition = "cpu"\naccount = "lab42"\ntime = "04:00:00"\nmem = "16GB"\ngpus = 1\n'
                      'sbatch = ["--qos=normal"]\nsetup_script = "env.sh"\njobs = 10\ncores = 4\nprocesses = 4\n')
    executor = _executor("--slurm-config", str(config), "--time", "00:10:00", "--sbatch", "nice=10",
                         "--slurm-option", "jobs=2")
    options = executor.options
    assert (options["queue"], options["walltime"], options["memory"], options["jobs"]) == ("cpu", "00:10:00",
                                                                                          "16GB", 2)
    assert options["job_extra_directives"] == ["--gpus=1", "--qos=normal", "--nice=10"]
    # a relative setup script is relative to the config file, wherever the command runs
    assert options["job_script_prologue"] == [f"source {tmp_path / 'env.sh'}"]
    # the Python API takes the same names
    assert normalise({"partition": "cpu", "time": "1:00:00", "mem": "2GB"}) == {
        "queue": "cpu", "walltime": "1:00:00", "memory": "2GB"}


def test_the_setup_script_is_sourced_exactly_under_bash_and_nothing_in_its_path_runs(tmp_path):
    folder = tmp_path / HOSTILE
    folder.mkdir()
    setup = folder / "env; touch pwned_by_name.sh"
    setup.write_text('printf %s "$0" > /dev/null; export FROM_SETUP="sourced"\n')
    prologue = cluster_options({"setup_script": str(setup)})["job_script_prologue"]
    shown = subprocess.run(["bash", "-c", "\n".join(prologue) + '\nprintf %s "$FROM_SETUP"'], cwd=tmp_path,
                           capture_output=True, text=True, timeout=30, check=True).stdout
    assert shown == "sourced" and not list(tmp_path.rglob("pwned*"))


@pytest.mark.parametrize("config, match", [
    ('partition = "cpu"\n', "has no \\[slurm\\] table"),
    ('[slurm]\ncolour = "red"\n', "unknown key 'colour'"),
    ('[slurm]\njobs = "ten"\n', "jobs must be an integer"),
    ('[slurm]\nsbatch = "--qos=high"\n', "sbatch must be a list of strings"),
    ('[slurm\n', "not valid TOML"),
    ('[slurm]\nsetup_script = "missing.sh"\n', "setup script .*missing.sh is not a file"),
])
def test_a_bad_config_file_is_named_with_what_is_wrong(tmp_path, config, match):
    path = tmp_path / "slurm.toml"
    path.write_text(config)
    with pytest.raises(ExecutorOptionError, match=match) as caught:
        load_config(path, SLURM_OPTIONS)
    assert "missing.sh" in match or str(path) in str(caught.value)


@pytest.mark.parametrize("options, match", [
    ({"gpus": "two"}, "gpus must be a count"), ({"gpus": "1;touch pwned"}, "gpus must be a count"),
    ({"partition": "cpu", "queue": "gpu"}, "partition and queue are the same option"),
    ({"partition": "cpu;touch pwned"}, "SLURM option queue=.* \\(sbatch's partition\\) .*#SBATCH line"),
    ({"time": "1:00 && id"}, "SLURM option walltime=.* \\(sbatch's time\\) .*#SBATCH line"),
    ({"sbatch": ["--qos=high\ntouch pwned"]}, "line break"), ({"sbatch": [" "]}, "needs a directive"),
])
def test_bad_job_options_are_refused(options, match):
    with pytest.raises(ExecutorOptionError, match=match):
        cluster_options(options)


def test_job_options_need_the_slurm_cluster(tmp_path, capsys):
    with pytest.raises(ExecutorOptionError, match="--partition, --gpus needs --cluster slurm"):
        make_executor(build_parser().parse_args(["run", "-m", "m", "-b", "b", "--partition", "cpu", "--gpus", "1"]))
    assert main(["run", "-m", "m", "-b", "b", "--cluster", "slurm", "--slurm-config", str(tmp_path / "no.toml")]) == 2
    assert "cannot read the SLURM config file" in capsys.readouterr().err
