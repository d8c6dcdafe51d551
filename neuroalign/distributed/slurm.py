"""SLURM clusters through dask-jobqueue: documented options in, a ``SLURMCluster`` (or its job script) out.

Each SLURM job runs ``processes`` Dask workers with ``cores / processes`` threads each; neuroalign's default is
one single-threaded worker per core, so a job of ``cores=8`` runs 8 workers and BLAS/torch threads are pinned to 1
(``OMP_NUM_THREADS`` and friends in the job's prologue), the configuration the grid-scaling case measures. The
activation cache must be on a filesystem every node sees (``cache_dir``): it is exported as
``NEUROALIGN_CACHE_DIR`` so that workers share extractions through it, with its file locks.

The job script is run by bash, so every value that reaches it is either quoted (``shlex.quote``: the cache
directory, the worker command's paths and arguments) or, where dask-jobqueue writes it into an ``#SBATCH`` line
that sbatch parses and neuroalign cannot quote, refused when it holds whitespace, quotes or control characters.
A path with a space therefore reaches the workers as that exact path, and ``;cmd`` in a value never runs.
"""

from __future__ import annotations

import re
import shlex
import sys
from typing import Any, Iterable, Mapping

from neuroalign.errors.applications import ExecutorOptionError
from neuroalign.distributed.job_options import RENAMED, normalise

#: Options accepted (dask-jobqueue's names, and sbatch's of :mod:`neuroalign.distributed.job_options`), with how a
#: command-line ``KEY=VALUE`` string is converted.
SLURM_OPTIONS: dict[str, type] = {
    "queue": str, "account": str, "cores": int, "processes": int, "memory": str, "walltime": str,
    "job_extra_directives": list, "job_script_prologue": list, "local_directory": str, "log_directory": str,
    "python": str, "interface": str, "name": str, "shebang": str, "job_cpu": int, "job_mem": str,
    "worker_extra_args": list, "cache_dir": str, "jobs": int,
    "partition": str, "time": str, "mem": str, "gpus": str, "sbatch": list, "setup_script": str,
}

#: One single-threaded worker per core, 4 cores and 16 GB per job, 4 hours.
SLURM_DEFAULTS: dict[str, Any] = {"cores": 4, "processes": 4, "memory": "16GB", "walltime": "04:00:00"}

_THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")

#: Options dask-jobqueue pastes into the worker's bash command line: quoted here.
_COMMAND_LINE = ("local_directory", "python", "interface")
#: Options dask-jobqueue pastes into ``#SBATCH`` lines (and, for ``log_directory``, uses as a path here): plain words.
_SBATCH_WORDS = ("queue", "account", "memory", "walltime", "job_mem", "log_directory", "name")
#: Free-form lines (a directive, the interpreter line): any text but a line break, which would start a command.
_ONE_LINE = ("job_extra_directives", "shebang")
_PLAIN_WORD = re.compile(r"[^\s'\"`$\\;&|<>()]+")


def parse_option(text: str) -> tuple[str, Any]:
    """``"KEY=VALUE"`` (``--slurm-option``) as ``(key, converted value)``; list options split on commas.

    Raises
    ------
    ExecutorOptionError
        For text without ``=``, an unknown key, or a value that does not convert.
    """
    key, sep, value = text.partition("=")
    key = key.strip().replace("-", "_")
    if not sep:
        raise ExecutorOptionError(f"a SLURM option is KEY=VALUE (e.g. queue=cpu); got {text!r}")
    kind = SLURM_OPTIONS.get(key)
    if kind is None:
        raise ExecutorOptionError(f"unknown SLURM option {key!r}; known: {', '.join(sorted(SLURM_OPTIONS))}")
    if kind is list:
        return key, [v.strip() for v in value.split(",") if v.strip()]
    try:
        return key, kind(value)
    except ValueError:
        raise ExecutorOptionError(f"SLURM option {key} must be {kind.__name__}; got {value!r}") from None


def parse_options(texts: Iterable[str]) -> dict[str, Any]:
    """Several ``KEY=VALUE`` strings as one dict; a list option given twice accumulates."""
    out: dict[str, Any] = {}
    for text in texts:
        key, value = parse_option(text)
        out[key] = out.get(key, []) + value if isinstance(value, list) else value
    return out


def cluster_options(options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The keyword arguments of ``SLURMCluster`` for neuroalign's options (defaults filled in).

    Options go by dask-jobqueue's names or by sbatch's (``partition``, ``time``, ``mem``, ``gpus``, ``sbatch``,
    ``setup_script``: :func:`~neuroalign.distributed.job_options.normalise`). ``cache_dir`` becomes an
    ``export NEUROALIGN_CACHE_DIR=...`` line of the job script, the thread variables are set to the threads of
    each worker, and ``jobs`` (how many jobs to start) is left out (see
    :func:`slurm_cluster`). Values that reach the worker's command line (``local_directory``, ``python``,
    ``interface``, ``worker_extra_args``) come back shell-quoted, as dask-jobqueue pastes them in as they are.

    Raises
    ------
    ExecutorOptionError
        For an unknown option, ``cores`` not a multiple of ``processes``, a value of an ``#SBATCH`` option with
        whitespace, quotes or shell characters, or a line break in a directive or the shebang.
    """
    unknown = sorted(set(options or {}) - set(SLURM_OPTIONS))
    if unknown:
        raise ExecutorOptionError(f"unknown SLURM option(s) {unknown}; known: {', '.join(sorted(SLURM_OPTIONS))}")
    merged = {**SLURM_DEFAULTS, **normalise(options or {})}
    merged.pop("jobs", None)
    cores, processes = int(merged["cores"]), int(merged["processes"])
    if processes < 1 or cores % processes:
        raise ExecutorOptionError(f"cores ({cores}) must be a positive multiple of processes ({processes}): each "
                                  "worker gets cores / processes threads")
    threads = cores // processes
    _check_script_values(merged)
    prologue = [f"export {name}={threads}" for name in _THREAD_VARIABLES]
    cache_dir = merged.pop("cache_dir", None)
    if cache_dir is not None:
        prologue.append(f"export NEUROALIGN_CACHE_DIR={shlex.quote(str(cache_dir))}")
    merged["job_script_prologue"] = prologue + list(merged.get("job_script_prologue", []))
    merged["python"] = merged.get("python") or _configured_python()
    for key in _COMMAND_LINE:
        if merged.get(key) is not None:
            merged[key] = shlex.quote(str(merged[key]))
    if merged.get("worker_extra_args"):
        merged["worker_extra_args"] = [shlex.quote(str(a)) for a in merged["worker_extra_args"]]
    merged.setdefault("scheduler_options", {"dashboard_address": None})
    return merged


def _configured_python() -> str:
    """The workers' interpreter: dask-jobqueue's configured one, else this one (quoted later like a user's)."""
    try:
        import dask.config

        configured = dask.config.get("jobqueue.slurm.python", None)
    except ImportError:
        configured = None
    return configured or sys.executable


def _check_script_values(options: Mapping[str, Any]) -> None:
    """Refuse values that dask-jobqueue would write into the job script where no quoting can protect them."""
    for key in _SBATCH_WORDS:
        value = options.get(key)
        if value is not None and not _PLAIN_WORD.fullmatch(str(value)):
            alias = next((f" (sbatch's {name})" for name, renamed in RENAMED.items() if renamed == key), "")
            raise ExecutorOptionError(f"SLURM option {key}={str(value)!r}{alias} would go unquoted into an #SBATCH "
                                      "line of the job script: use a value without spaces, quotes or shell "
                                      "characters (;&|<>()$`\\)")
    for key in _ONE_LINE:
        values = options.get(key)
        for value in ([values] if isinstance(values, str) else values or []):
            if any(ord(c) < 32 or c == "\x7f" for c in str(value)):
                raise ExecutorOptionError(f"SLURM option {key}={str(value)!r} contains a line break or another "
                                          "control character, which would start a command in the job script")


def slurm_cluster(options: Mapping[str, Any] | None = None) -> Any:
    """A ``dask_jobqueue.SLURMCluster`` built from :func:`cluster_options`, kept at ``options["jobs"]`` jobs.

    Creating it starts a scheduler here and submits no job until it is scaled; ``cluster.job_script()`` shows
    the script ``sbatch`` will get. The cluster adapts between ``jobs`` and ``jobs`` jobs rather than being
    scaled once: a job that ends early (its time limit reached, ``scancel``, a node lost) is replaced by a new
    one, so the tasks it was running are run again there instead of waiting for a worker that never comes.
    """
    try:
        from dask_jobqueue import SLURMCluster
    except ImportError as error:
        raise ImportError("SLURM clusters need dask-jobqueue: pip install 'neuroalign[distributed]'") from error

    cluster = SLURMCluster(**cluster_options(options))
    jobs = (options or {}).get("jobs")
    if jobs:
        cluster.adapt(minimum_jobs=int(jobs), maximum_jobs=int(jobs))
    return cluster
