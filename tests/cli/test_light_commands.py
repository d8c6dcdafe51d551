"""The answers a user waits for at the terminal import no heavy library (issue 20, item 1).

Each command runs in a fresh interpreter (this one has imported everything already) and reports which of the heavy
modules ``sys.modules`` holds afterwards. The time these commands take is measured by the perf case
``perf/cases/cli_light_commands.py``, side by side with ``python -c "import numpy, scipy"``; never here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from neuroalign.core.score import Score
from neuroalign.store import ResultRecord, ResultsStore

#: What a light command must not import.
HEAVY = ("torch", "pandas", "h5py", "matplotlib", "mne", "nilearn", "transformers", "sklearn", "dask")

#: Run in one fresh interpreter, one after the other: ``sys.modules`` only grows, so the heavy modules held after
#: each command are those it (or one before it) imported.
_CODE = """
import contextlib, io, json, sys
from neuroalign.cli.main import main

report = []
for argv in json.loads(sys.argv[1]):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            status = main(argv)
        except SystemExit as stop:
            status = stop.code
    report.append([argv, status or 0, [m for m in HEAVY if m in sys.modules], out.getvalue()])
print(json.dumps(report))
"""

COMMANDS = [["--help"], ["--version"], ["run", "--help"], ["list"], ["list", "benchmarks"],
            ["info", "kriegeskorte2008.human_it.rsa"], ["info", "kriegeskorte2008_92images"], ["info", "cka.linear"],
            ["info", "efficientnet-lite0"], ["leaderboard", "--store", "STORE"]]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("light") / "results.sqlite"
    with ResultsStore(path) as store:
        store.put(ResultRecord(Score(value=0.3, metric="spearman", ceiling=0.5, interval=(0.2, 0.4)), "model-a",
                               "bench-1", "1"))
    return path


def _run_fresh(commands: list[list[str]], heavy: tuple[str, ...]) -> list:
    """[argv, exit status, the modules of ``heavy`` held after it, its output] of each command, in one fresh
    interpreter."""
    code = f"HEAVY = {heavy!r}\n{_CODE}"
    out = subprocess.run([sys.executable, "-c", code, json.dumps(commands)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.splitlines()[-1])


def test_help_list_info_and_leaderboard_import_nothing_heavy(store_path):
    commands = [[str(store_path) if a == "STORE" else a for a in argv] for argv in COMMANDS]
    report = _run_fresh(commands, HEAVY)
    assert [(argv, status, heavy) for argv, status, heavy, _ in report] == [(argv, 0, []) for argv in commands]
    board = report[-1][3]
    assert "model-a" in board and "0.60 [0.40, 0.80]" in board


def test_help_list_and_describing_a_benchmark_do_not_import_numpy():
    """Importing NumPy is half the time these commands are allowed (2x ``import numpy, scipy``): the benchmark
    classes import it inside the functions that compute, and a benchmark's citation is read from its manifest
    without the schema check (jsonschema)."""
    commands = [["--help"], ["list"], ["list", "benchmarks"], ["info", "kriegeskorte2008.human_it.rsa"],
                ["info", "haxby2001.vt_slice.predictivity"]]
    report = _run_fresh(commands, ("numpy", "jsonschema"))
    assert [(argv, status, held) for argv, status, held, _ in report] == [(argv, 0, []) for argv in commands]
    assert "@article" in report[3][3]  # the citation, from the manifest


def test_import_neuroalign_is_light_and_names_resolve_on_use():
    code = ("import sys, neuroalign; light = [m for m in ('pandas', 'h5py', 'torch') if m in sys.modules]; "
            "neuroalign.RDMs; print(light, 'pandas' in sys.modules, 'RDMs' in dir(neuroalign))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["[]", "True", "True"]
