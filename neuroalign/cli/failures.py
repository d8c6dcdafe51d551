"""What the command line prints when a command fails, and with which exit status.

Every failure a user can meet is one line on stderr that names the file or id and what is wrong; the Python
traceback is shown only with ``neuroalign --debug``. Errors of neuroalign (:class:`~neuroalign.errors.NeuroAlignError`)
carry their own message. Low-level errors that escaped the layer that knew the file (an ``OSError`` from HDF5
without a path, a damaged SQLite file, a truncated archive) are translated here, naming the files the command
was given. A closed pipe (``neuroalign leaderboard | head``) ends the command quietly, as Unix tools do.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sqlite3
import sys
import tarfile
import traceback
import zipfile
import zlib
from pathlib import Path

from neuroalign.errors import NeuroAlignError

#: Exit statuses (see the README, "How errors are reported").
OK, FAILED, ERROR, INTERNAL = 0, 1, 2, 3
INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C
BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool whose reader went away

_DEBUG_HINT = "rerun with `neuroalign --debug ...` for the traceback"

#: What reading a truncated or damaged compressed file raises (archives, zip-based .npz, gzip, zlib streams).
_DAMAGED = (EOFError, zipfile.BadZipFile, tarfile.TarError, zlib.error, gzip.BadGzipFile)


def report(error: BaseException, args: argparse.Namespace) -> int:
    """Print ``error`` for a user (with its traceback under ``--debug``) and return the exit status.

    Parameters
    ----------
    error : BaseException
        What the command raised.
    args : argparse.Namespace
        The parsed command line (its ``command``, ``debug`` and file arguments are read).

    Returns
    -------
    int
        :data:`ERROR` for bad input, a missing, damaged or unwritable file; :data:`INTERNAL` for an unexpected
        error (a bug); :data:`INTERRUPTED` for Ctrl-C; :data:`BROKEN_PIPE` when stdout's reader went away.
    """
    if isinstance(error, BrokenPipeError) and _is_stdout_pipe(error):
        _silence_stdout()
        return BROKEN_PIPE
    if getattr(args, "debug", False):
        traceback.print_exception(error, file=sys.stderr)
    status, message = describe(error, args)
    print(f"neuroalign {args.command}: {message}", file=sys.stderr)
    return status


def describe(error: BaseException, args: argparse.Namespace) -> tuple[int, str]:
    """``(exit status, message)`` for ``error`` raised by the command ``args`` describes."""
    if isinstance(error, KeyboardInterrupt):
        return INTERRUPTED, "interrupted"
    if isinstance(error, NeuroAlignError):
        return ERROR, f"error: {error}"
    if isinstance(error, sqlite3.OperationalError):
        return ERROR, f"error: SQLite could not use a database ({error}){_given(args)}"
    if isinstance(error, sqlite3.DatabaseError):
        return ERROR, (f"error: an SQLite database is damaged or not a database ({error}){_given(args)}. Restore it "
                       f"from a backup or choose another path; the file was not changed")
    if isinstance(error, _DAMAGED):
        return ERROR, (f"error: a file is truncated or damaged ({type(error).__name__}: {error or 'end of file'})"
                       f"{_given(args)}: an interrupted download or copy? Fetch or copy it again")
    if isinstance(error, OSError):
        return ERROR, f"error: {_os_message(error)}{_given(args) if not error.filename else ''}"
    if isinstance(error, MemoryError):
        return ERROR, (f"error: out of memory ({error or 'MemoryError'}): use fewer stimuli or layers, a machine with "
                       "more memory, or a GPU (--device)")
    if isinstance(error, (ValueError, LookupError)):
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        return ERROR, f"error: {message}"
    return INTERNAL, (f"internal error: {type(error).__name__}: {error}. This is a bug in neuroalign or a plugin; "
                      f"{_DEBUG_HINT} and report it")


def _os_message(error: OSError) -> str:
    """``OSError`` as ``what: path`` (both paths of a rename), with what to do for the usual causes."""
    what = error.strerror or str(error) or type(error).__name__
    if error.filename is None:
        return what
    paths = " -> ".join(str(p) for p in (error.filename, error.filename2) if p is not None)
    advice = {PermissionError: "; choose a path you can write (or fix its permissions)",
              IsADirectoryError: "; give a file's path", NotADirectoryError: "; a part of the path is a file"}
    return f"{what}: {paths}" + next((a for t, a in advice.items() if isinstance(error, t)), "")


def _given(args: argparse.Namespace) -> str:
    """``"; files given: a, b"``: the command's arguments that name existing files or folders."""
    files = [str(p) for p in _file_arguments(args)]
    if not files:
        return f"; {_DEBUG_HINT}"
    return f" (reading {files[0]})" if len(files) == 1 else f" (files given: {', '.join(files)})"


def _file_arguments(args: argparse.Namespace) -> list[Path]:
    found = []
    for name, value in vars(args).items():
        if name in ("command", "run", "debug"):
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, (str, os.PathLike)) and str(item) and Path(item).exists():
                found.append(Path(item))
    return list(dict.fromkeys(found))


def _is_stdout_pipe(error: BrokenPipeError) -> bool:
    return error.filename is None  # a BrokenPipeError on a named file is a real failure of that file


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush finds no closed pipe to complain about."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (captured in a test)
        pass
