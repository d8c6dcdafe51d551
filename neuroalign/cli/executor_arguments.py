"""Where ``neuroalign run`` runs its grid: serially, on local Dask workers, a running scheduler, or SLURM jobs.

The SLURM job options come from a config file (``--slurm-config``), ``--slurm-option KEY=VALUE`` and the flags
named after sbatch's options, in that order: a later source wins, and extra ``#SBATCH`` lines accumulate.
"""

from __future__ import annotations

import argparse

#: The flags of SLURM job options (dest, as the option is named in :mod:`neuroalign.distributed.job_options`).
_JOB_FLAGS = ("partition", "account", "time", "mem", "gpus", "sbatch", "setup_script", "jobs", "cores", "processes")


def add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    """``--workers`` / ``--scheduler`` / ``--cluster slurm`` (one of them; serial without any) and the job options."""
    where = parser.add_argument_group("distributed execution (default: serial, in this process)")
    choice = where.add_mutually_exclusive_group()
    choice.add_argument("--workers", type=int, metavar="N", help="a local Dask cluster of N worker processes")
    choice.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler (tcp://host:8786)")
    choice.add_argument("--cluster", choices=["slurm"], help="a SLURM cluster through dask-jobqueue")
    where.add_argument("--retries", type=int, default=2,
                       help="re-runs of a task that fails (default 2; a task whose worker died is re-run anyway)")
    jobs = parser.add_argument_group("SLURM jobs (with --cluster slurm; see docs/distributed.md)")
    jobs.add_argument("--partition", metavar="NAME", help="partition the jobs run in (sbatch -p)")
    jobs.add_argument("--account", metavar="NAME", help="account the jobs are charged to (sbatch -A)")
    jobs.add_argument("--time", metavar="HH:MM:SS", help="time limit of each job (sbatch -t; default 04:00:00); a "
                                                         "job that reaches it is replaced and its task run again")
    jobs.add_argument("--mem", metavar="SIZE", help="memory of each job, shared by its workers (default 16GB)")
    jobs.add_argument("--gpus", metavar="[TYPE:]N", help="GPUs of each job (sbatch --gpus)")
    jobs.add_argument("--sbatch", action="append", metavar="DIRECTIVE",
                      help="one more #SBATCH line, e.g. --sbatch qos=high or --sbatch=--exclusive (repeat)")
    jobs.add_argument("--setup-script", metavar="FILE", dest="setup_script",
                      help="a script each job sources before starting its workers (module load, venv activation)")
    jobs.add_argument("--jobs", type=int, metavar="N", help="jobs to keep running (default 1)")
    jobs.add_argument("--cores", type=int, metavar="N", help="cores of each job (default 4)")
    jobs.add_argument("--processes", type=int, metavar="N",
                      help="worker processes per job, each with cores/processes threads (default 4)")
    jobs.add_argument("--slurm-config", metavar="FILE", help="a TOML file with a [slurm] table of these options")
    jobs.add_argument("--slurm-option", action="append", default=[], metavar="KEY=VALUE", dest="slurm_options",
                      help="any other dask-jobqueue option, repeat (interface=, log_directory=, cache_dir=, "
                           "worker_extra_args=a,b ...)")


def make_executor(args: argparse.Namespace):
    """The executor the arguments ask for: ``None`` (serial) or a :class:`~neuroalign.distributed.DaskExecutor`.

    Raises
    ------
    ExecutorOptionError
        For a SLURM option without ``--cluster slurm``, a malformed option or config file, a missing setup script.
    """
    from neuroalign.errors.applications import ExecutorOptionError

    flags = {name: getattr(args, name) for name in _JOB_FLAGS if getattr(args, name, None) is not None}
    given = [f"--{name.replace('_', '-')}" for name in flags]
    given += ["--slurm-option"] * bool(args.slurm_options) + ["--slurm-config"] * bool(args.slurm_config)
    if given and args.cluster != "slurm":
        raise ExecutorOptionError(f"{', '.join(given)} needs --cluster slurm")
    if args.workers is None and args.scheduler is None and args.cluster is None:
        return None
    from neuroalign.distributed import DaskExecutor
    from neuroalign.distributed.job_options import load_config, merge, normalise
    from neuroalign.distributed.slurm import SLURM_OPTIONS, parse_options

    options = {}
    if args.cluster == "slurm":
        config = load_config(args.slurm_config, SLURM_OPTIONS) if args.slurm_config else {}
        options = merge(config, normalise(parse_options(args.slurm_options)), normalise(flags))
    return DaskExecutor(workers=args.workers, scheduler=args.scheduler, cluster=args.cluster, retries=args.retries,
                        **options)
