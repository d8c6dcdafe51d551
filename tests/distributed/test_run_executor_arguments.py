"""``neuroalign run --workers / --scheduler / --cluster slurm``: the executor the arguments ask for."""

from __future__ import annotations

import pytest

from neuroalign.cli.main import build_parser, main
from neuroalign.cli.run_command import make_executor
from neuroalign.distributed import DaskExecutor, ExecutorOptionError


def _args(*extra):
    return build_parser().parse_args(["run", "-m", "some-model", "-b", "some.bench", *extra])


def test_no_option_runs_serially():
    assert make_executor(_args()) is None


def test_each_option_builds_its_executor_without_starting_it():
    local = make_executor(_args("--workers", "3", "--retries", "1"))
    assert isinstance(local, DaskExecutor) and local.workers == 3 and local.retries == 1 and local._client is None
    remote = make_executor(_args("--scheduler", "tcp://10.0.0.1:8786"))
    assert remote.scheduler == "tcp://10.0.0.1:8786"
    slurm = make_executor(_args("--cluster", "slurm", "--slurm-option", "queue=cpu", "--slurm-option", "jobs=10"))
    assert slurm.cluster_spec == "slurm" and slurm.options == {"queue": "cpu", "jobs": 10}
    assert make_executor(_args("--cluster", "slurm")).options == {"jobs": 1}  # one job unless told


def test_contradictory_options_are_refused(capsys):
    with pytest.raises(SystemExit):
        _args("--workers", "2", "--scheduler", "tcp://x:1")
    with pytest.raises(ExecutorOptionError, match="needs --cluster slurm"):
        make_executor(_args("--slurm-option", "queue=cpu"))
    assert main(["run", "-m", "m", "-b", "b", "--cluster", "slurm", "--slurm-option", "bogus=1"]) == 2
    assert "unknown SLURM option 'bogus'" in capsys.readouterr().err


@pytest.mark.parametrize("options, match", [({}, "exactly one"), ({"workers": 2, "scheduler": "tcp://x:1"}, "exactly"),
                                            ({"workers": 0}, ">= 1"), ({"workers": 2, "queue": "cpu"}, "SLURM")])
def test_dask_executor_options_are_checked(options, match):
    with pytest.raises(ExecutorOptionError, match=match):
        DaskExecutor(**options)
