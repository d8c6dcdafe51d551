"""Every Python block of README.md and docs/*.md runs as pasted (on the real data, in an empty folder), or is marked
as a fragment and links to an executed script that uses what it shows; a doc that drifts from the code fails here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from docs.code_blocks import ROOT, python_blocks

#: One xdist worker for every docs test where the group is honoured (see tests/docs/conftest.py).
pytestmark = pytest.mark.xdist_group("docs")

BLOCKS = python_blocks()
RUNNABLE = [block for block in BLOCKS if not block.fragment_of and not block.is_script]
SCRIPTS = [block for block in BLOCKS if not block.fragment_of and block.is_script]
FRAGMENTS = [block for block in BLOCKS if block.fragment_of]


def _env(data_mirror: Path, tmp: Path, activations: Path) -> dict[str, str]:
    return {**os.environ, "NEUROALIGN_DATA_MIRROR": str(data_mirror), "NEUROALIGN_CACHE_DIR": str(activations),
            "NEUROALIGN_DATA_CACHE": str(tmp / "data"), "NEUROALIGN_RESULTS": str(tmp / "results.sqlite"),
            "MPLBACKEND": "Agg", "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


@pytest.fixture(scope="module")
def block_results(data_mirror, tmp_path_factory, docs_activation_cache, once_per_run):
    def run_all() -> dict:
        tmp = tmp_path_factory.mktemp("code_blocks")
        payload = json.dumps([{"id": block.id, "code": block.code} for block in RUNNABLE])
        out = subprocess.run([sys.executable, str(Path(__file__).with_name("run_blocks.py")), str(tmp / "work")],
                             input=payload, capture_output=True, text=True, cwd=tmp, timeout=600,
                             env=_env(data_mirror, tmp, docs_activation_cache))
        rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
        return {"results": {row["id"]: row for row in rows}, "stderr": out.stderr[-3000:]}

    ran = once_per_run("code_blocks", run_all)
    assert ran["results"], ran["stderr"]
    return ran["results"]


def test_the_pages_have_python_blocks_and_each_kind_is_found():
    assert len(BLOCKS) >= 17 and RUNNABLE and SCRIPTS and FRAGMENTS


@pytest.mark.realdata
@pytest.mark.parametrize("block", RUNNABLE, ids=lambda block: block.id)
def test_block_runs_as_pasted(block, block_results):
    result = block_results.get(block.id)
    assert result is not None, f"{block.id}: the runner stopped before this block"
    assert result["error"] is None, f"{block.id} fails as pasted:\n{result['error']}"


@pytest.mark.realdata
@pytest.mark.slow
@pytest.mark.parametrize("block", SCRIPTS, ids=lambda block: block.id)
def test_script_block_runs_as_a_file(block, data_mirror, tmp_path, docs_activation_cache):
    script = tmp_path / "script.py"
    script.write_text(block.code)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=600,
                         env=_env(data_mirror, tmp_path, docs_activation_cache))
    assert out.returncode == 0, f"{block.id} fails as a script:\n{out.stderr[-3000:]}"


@pytest.mark.parametrize("block", FRAGMENTS, ids=lambda block: block.id)
def test_fragment_links_to_executed_scripts_that_use_what_it_shows(block):
    compile(block.code, block.id, "exec")  # a fragment is still valid Python
    executed = [path for path in block.fragment_of
                if path.relative_to(ROOT).parts[0] in ("examples", "tutorials", "tests")]
    assert executed, f"{block.id}: a fragment must link to a script of examples/, tutorials/ or tests/"
    text = "\n".join(path.read_text() for path in executed)  # a missing file fails here, naming it
    missing = sorted(name for name in block.imported_names() if name not in text)
    assert not missing, f"{block.id}: {missing} are used by the fragment but by none of {executed}"
