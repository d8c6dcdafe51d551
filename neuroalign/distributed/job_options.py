"""SLURM job options in sbatch's words, from the command line, a config file or Python, as dask-jobqueue's options.

Users know their cluster by sbatch's names: ``partition``, ``account``, ``time``, ``mem``, ``gpus``, more
``#SBATCH`` lines, and a setup script that loads the environment (modules, a conda or venv activation). These
become the options of :func:`neuroalign.distributed.slurm.cluster_options` (dask-jobqueue's names: ``queue``,
``walltime``, ``memory``, ``job_extra_directives``, ``job_script_prologue``), where every value is checked or
shell-quoted before it reaches the job script. A config file is TOML with a ``[slurm]`` table of the same keys::

    [slurm]
    partition = "cpu"
    account = "lab42"
    time = "04:00:00"
    mem = "16GB"
    gpus = 1
    sbatch = ["--qos=normal", "--constraint=avx2"]
    setup_script = "env.sh"          # relative to the config file's folder
    jobs = 10
    cores = 16
    processes = 16
    cache_dir = "/shared/acts"
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Any, Mapping

from neuroalign.errors.applications import ExecutorOptionError

#: sbatch's name -> dask-jobqueue's, for the options that are only renamed.
RENAMED = {"partition": "queue", "time": "walltime", "mem": "memory"}
#: Options that add lines to the job script: ``gpus`` and ``sbatch`` an ``#SBATCH`` line, ``setup_script`` a
#: ``source`` command.
SCRIPT_LINES = ("gpus", "sbatch", "setup_script")
#: Options whose values accumulate when several sources give them (the others: the later source wins).
LISTS = ("job_extra_directives", "job_script_prologue", "worker_extra_args")

_GPUS = re.compile(r"([A-Za-z0-9_.-]+:)?[1-9][0-9]*")


def normalise(options: Mapping[str, Any], *, base: Path | None = None) -> dict[str, Any]:
    """``options`` with sbatch's names turned into dask-jobqueue's and the script lines added.

    Parameters
    ----------
    options : mapping
        Options by either name (``partition`` or ``queue``, ...); ``gpus`` (a count, or ``type:count``),
        ``sbatch`` (directives, with or without their leading ``--`` or ``#SBATCH``) and ``setup_script``
        (a file that exists).
    base : Path, optional
        The folder a relative ``setup_script`` is relative to (a config file's); the working folder otherwise.

    Returns
    -------
    dict
        Options in dask-jobqueue's names, as :func:`~neuroalign.distributed.slurm.cluster_options` takes them.

    Raises
    ------
    ExecutorOptionError
        For an option given under both its names, a malformed ``gpus``, or a setup script that is not a file.
    """
    out = {k: (list(v) if k in LISTS else v) for k, v in options.items() if k not in RENAMED and
           k not in SCRIPT_LINES}
    for name, renamed in RENAMED.items():
        if name in options:
            if renamed in options:
                raise ExecutorOptionError(f"SLURM option {name} and {renamed} are the same option; give one")
            out[renamed] = options[name]
    directives = []
    if options.get("gpus") is not None:
        gpus = str(options["gpus"])
        if not _GPUS.fullmatch(gpus):
            raise ExecutorOptionError(f"gpus must be a count or type:count (e.g. 2 or a100:1); got {gpus!r}")
        directives.append(f"--gpus={gpus}")
    directives += [_directive(line) for line in _as_list("sbatch", options.get("sbatch"))]
    if directives:
        out["job_extra_directives"] = list(out.get("job_extra_directives", [])) + directives
    if options.get("setup_script") is not None:
        script = _setup_script(options["setup_script"], base)
        out["job_script_prologue"] = list(out.get("job_script_prologue", [])) + [f"source {shlex.quote(script)}"]
    return out


def merge(*sources: Mapping[str, Any]) -> dict[str, Any]:
    """Normalised options of several sources (a config file, then the command line): a later value wins, list
    options accumulate."""
    out: dict[str, Any] = {}
    for source in sources:
        for key, value in source.items():
            out[key] = list(out.get(key, [])) + list(value) if key in LISTS else value
    return out


def load_config(path: str | os.PathLike[str], kinds: Mapping[str, type]) -> dict[str, Any]:
    """The ``[slurm]`` table of a TOML config file, normalised (a relative ``setup_script`` is relative to it).

    Parameters
    ----------
    path : path-like
        The config file.
    kinds : mapping
        The type of every known option (:data:`~neuroalign.distributed.slurm.SLURM_OPTIONS`).

    Raises
    ------
    ExecutorOptionError
        The file cannot be read or parsed, has no ``[slurm]`` table, or holds an unknown key or a value of the
        wrong type (the message names the file and the key).
    """
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    path = Path(path)
    try:
        with path.open("rb") as f:
            document = tomllib.load(f)
    except OSError as error:
        raise ExecutorOptionError(f"cannot read the SLURM config file {path}: {error.strerror or error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ExecutorOptionError(f"SLURM config file {path} is not valid TOML: {error}") from error
    table = document.get("slurm")
    if not isinstance(table, dict):
        raise ExecutorOptionError(f"SLURM config file {path} has no [slurm] table (keys: partition, account, time, "
                                  "mem, gpus, sbatch, setup_script, jobs, cores, processes, cache_dir, ...)")
    for key, value in table.items():
        kind = kinds.get(key)
        if kind is None:
            raise ExecutorOptionError(f"SLURM config file {path}: unknown key {key!r}; known: "
                                      f"{', '.join(sorted(kinds))}")
        fits = (isinstance(value, list) and all(isinstance(v, str) for v in value)) if kind is list else \
            (isinstance(value, kind) and not isinstance(value, bool)) if kind is int else \
            isinstance(value, (str, int)) and not isinstance(value, bool)
        if not fits:
            wanted = "a list of strings" if kind is list else "an integer" if kind is int else "a string"
            raise ExecutorOptionError(f"SLURM config file {path}: {key} must be {wanted}; got {value!r}")
    return normalise(table, base=path.parent)


def _as_list(name: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ExecutorOptionError(f"SLURM option {name} must be a string or a list of strings; got {value!r}")


def _directive(line: str) -> str:
    """``--qos=high`` from ``--qos=high``, ``qos=high`` or ``#SBATCH --qos=high``."""
    text = line.strip()
    if text.upper().startswith("#SBATCH"):
        text = text[len("#SBATCH"):].strip()
    if not text:
        raise ExecutorOptionError(f"an extra #SBATCH line needs a directive (e.g. --qos=high); got {line!r}")
    return text if text.startswith("-") else f"--{text}"


def _setup_script(value: Any, base: Path | None) -> str:
    """The setup script's absolute path (the jobs start in another folder), which must be a file."""
    path = Path(os.fspath(value)).expanduser()
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    if not path.is_file():
        raise ExecutorOptionError(f"setup script {path} is not a file; give the script that sets up the "
                                  "environment of a job (e.g. module load ...; source venv/bin/activate)")
    return str(path.resolve())
