"""Project-level promises: the README's commands, CI, and the perf harness."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```bash\n(.+?)\n```", text)


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert ci in _readme_commands(), "the last line of .ci/run must be the README's test command"


@pytest.mark.slow
def test_readme_shows_the_current_demo_output(data_mirror, tmp_path):
    """The README quotes the demo's real output; it must not drift from what the demo prints. The demo scores
    EfficientNet-Lite0 (images) and MiniLM (captions) into a store and draws their layer profiles. Run again on the
    same store and caches, it prints the same bytes and draws the same figure from them without importing torch
    (issue 20, item 2: the scores, layer profiles, fingerprints and figure are read back, no model is loaded)."""
    from PIL import Image

    from neuroalign.store import ResultsStore

    env = {**os.environ, "NEUROALIGN_RESULTS": str(tmp_path / "results.sqlite"),
           "NEUROALIGN_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-X", "importtime", "-m", "neuroalign.cli.main", "demo", "--mirror", str(data_mirror)]
    first = subprocess.run(command, capture_output=True, text=True, check=True, cwd=tmp_path, env=env)
    assert first.stdout.strip() in (ROOT / "README.md").read_text()
    lines = first.stdout.splitlines()
    assert lines[0].startswith("kriegeskorte2008.human_it.rsa v1")
    models = [line.split()[0] for line in lines if line.startswith(("efficientnet", "all-minilm"))]
    assert sorted(models) == ["all-minilm-l6-v2", "efficientnet-lite0"]
    assert "Layer profiles of both models: neuroalign-demo.png" in first.stdout
    with Image.open(tmp_path / "neuroalign-demo.png") as image:
        assert image.size[0] > 1000
    with ResultsStore(tmp_path / "results.sqlite") as store:  # two scores, and each model's layer profile
        assert len(store.results(kind="score")) == 2 and len(store.results(kind="layer_sweep")) > 2
    figure = (tmp_path / "neuroalign-demo.png").read_bytes()
    (tmp_path / "neuroalign-demo.png").unlink()
    second = subprocess.run(command, capture_output=True, text=True, check=True, cwd=tmp_path, env=env)
    assert second.stdout == first.stdout
    assert (tmp_path / "neuroalign-demo.png").read_bytes() == figure

    def imported(run: subprocess.CompletedProcess) -> set[str]:  # -X importtime: "import time: self | cum | name"
        return {line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}

    assert "torch" in imported(first)  # the check sees torch when it is imported
    assert not {"torch", "transformers", "safetensors"} & imported(second)


@pytest.mark.slow
def test_perf_cases_run_small(data_mirror):
    """Every perf case runs at small size (some read the real data, hence the mirror)."""
    env = {**os.environ, "NEUROALIGN_DATA_MIRROR": str(data_mirror)}
    out = subprocess.run([sys.executable, str(ROOT / "perf" / "run.py"), "--small"], capture_output=True, text=True,
                         cwd=ROOT, timeout=600, env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(records) >= 5
    for record in records:
        assert {"case", "ours_s", "reference_s", "speedup", "ours_peak_mb", "reference_peak_mb"} <= set(record)


def test_gpu_plan_dry_run_on_the_cpu():
    """``perf/gpu.py`` (the GPU plan, ``perf/gpu.sh``) runs on the CPU at small size: cases build, the device side
    agrees with the CPU path, the table prints. The bootstrap, ridge and extraction cases are left out here for time
    (their device paths are the engines' own, tested in tests/backend; their inputs and references run in
    test_perf_cases_run_small); every case names a real perf case."""
    sys.path.insert(0, str(ROOT / "perf"))
    try:
        import gpu
    finally:
        sys.path.remove(str(ROOT / "perf"))
    for spec in gpu.CASES.values():
        assert (ROOT / "perf" / "cases" / f"{spec.module}.py").is_file()
    cases = ["rdm_correlation", "rdm_crossnobis", "cka"]
    out = subprocess.run([sys.executable, str(ROOT / "perf" / "gpu.py"), "--device", "cpu", "--small", "--repeats",
                          "1", "--budget-s", "0", *cases], capture_output=True, text=True,
                         cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    records = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    assert [r["case"] for r in records] == cases and all(r["agree"] for r in records)
    assert "cpu/device" in out.stdout and "total" in out.stdout.splitlines()[-1]


def test_test_modules_have_unique_names():
    """Test folders are not packages (pytest's rootdir imports): two test modules with one name cannot both be
    collected, and the second is an error only in a full run."""
    from collections import Counter

    names = Counter(path.name for path in (ROOT / "tests").rglob("*.py") if path.name not in ("conftest.py",
                                                                                               "__init__.py"))
    assert not [name for name, count in names.items() if count > 1]
