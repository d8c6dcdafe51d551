"""Long operations draw a progress bar on a terminal; elsewhere inner loops print nothing and task loops one line
per finished task."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest

BOOTSTRAP = """
import numpy as np
from neuroalign.stats.bootstrap import bootstrap_rdm_comparison
rng = np.random.default_rng(0)
bootstrap_rdm_comparison(rng.random((2, 190)), rng.random((4, 190)), "spearman", n_bootstrap=400, batch_size=20, seed=1)
"""

SEARCHLIGHT_AND_PERMUTATIONS = """
import numpy as np, scipy.sparse
from neuroalign import Recording
from neuroalign.analysis import neighbourhood_rsa
from neuroalign.stats.permutation import permutation_test_rdm
rng = np.random.default_rng(0)
rec = Recording(rng.normal(size=(10, 30)), [f"s{k}" for k in range(10)], dims=("stimulus", "channel"))
neighbourhood_rsa(rec, scipy.sparse.random(30, 30, density=0.3, random_state=0) + scipy.sparse.eye(30),
                  rng.random(45), batch_size=4)
permutation_test_rdm(rng.random((1, 45)), rng.random((3, 45)), n_perm=200, batch_size=10, seed=0)
"""


def _stderr(code: str, *, terminal: bool) -> str:
    if not terminal:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stderr
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=120) == 0
    return b"".join(chunks).decode(errors="replace")


@pytest.mark.parametrize("code, labels", [(BOOTSTRAP, ["bootstrap"]),
                                          (SEARCHLIGHT_AND_PERMUTATIONS, ["searchlight", "permutations"])])
def test_bars_on_a_terminal_and_silence_elsewhere(code, labels):
    shown = _stderr(code, terminal=True)
    for label in labels:
        assert label in shown
    assert _stderr(code, terminal=False) == ""


TASKS = """
from neuroalign.utils.progress import progress_bar, progress_lines
with progress_bar(3, "tasks", lines=True) as advance:
    for k in range(3):
        advance(1, f"task {k}")
with progress_bar(500, "many", lines=True) as advance:
    for k in range(500):
        advance(1)
with progress_lines(2, "outer") as done:
    done(1, "a")
    done(1, "b")
"""


def test_task_loops_print_a_line_per_finished_task_in_a_log():
    lines = _stderr(TASKS, terminal=False).splitlines()
    tasks = [line for line in lines if line.startswith("tasks: ")]
    assert [line.split(" ")[1] for line in tasks] == ["1/3", "2/3", "3/3"]
    assert [line.split(") ")[-1] for line in tasks] == ["task 0", "task 1", "task 2"]
    many = [line for line in lines if line.startswith("many: ")]
    assert len(many) == 50 and many[-1].startswith("many: 500/500")  # one line per 2 % of 500 tasks
    assert [line.split(" ")[1] for line in lines if line.startswith("outer: ")] == ["1/2", "2/2"]
    shown = _stderr(TASKS, terminal=True)  # a terminal gets the bars; the outer lines are left to the inner bars
    assert "tasks" in shown and "tasks: 1/3" not in shown and "outer" not in shown
