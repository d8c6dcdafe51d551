"""``neuroalign list``, ``info`` and ``plugin``: real subprocesses, and the issue's end-to-end path from a
scaffolded plugin to an installed, listed, checked and scored one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from neuroalign.cli.main import main


def neuroalign(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None
               ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neuroalign.cli.main", *args], capture_output=True, text=True,
                          env=env, cwd=cwd)


def test_list_imports_no_torch_and_reports_its_time():
    code = ("import sys, time; t = time.perf_counter(); from neuroalign.cli.main import main; main(['list']); "
            "print('ELAPSED', time.perf_counter() - t); print('HEAVY', [m for m in ('torch', 'transformers') "
            "if m in sys.modules])")
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    lines = out.stdout.splitlines()
    assert lines[-1] == "HEAVY []"
    print(f"neuroalign list: {float(lines[-2].split()[1]):.2f} s in-process, {wall:.2f} s with interpreter start")
    assert lines[0].split() == ["KIND", "ID", "DISTRIBUTION", "DESCRIPTION"]
    assert any(line.split()[:3] == ["model", "efficientnet-lite0", "neuroalign-efficientnet"] for line in lines)


def test_list_one_kind(capsys):
    assert main(["list", "metrics"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert rows and all(row.split()[0] == "metric" for row in rows)
    assert any(row.split()[1] == "cka.linear" for row in rows)


def test_list_flags_a_broken_plugin(tmp_path):
    site = tmp_path / "site"
    info = site / "broken_probe-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-probe\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[neuroalign.models]\nbroken-probe = broken_probe:load\n")
    (site / "broken_probe.py").write_text("raise RuntimeError('no weights')\n")
    out = neuroalign("list", "models", env={**os.environ, "PYTHONPATH": str(site)})
    assert out.returncode == 0
    row, = [line for line in out.stdout.splitlines() if line.startswith("model") and "broken-probe" in line]
    assert "BROKEN: RuntimeError: no weights" in row
    assert "efficientnet-lite0" in out.stdout


def test_info_of_a_model_and_an_unknown_id(capsys):
    assert main(["info", "efficientnet-lite0"]) == 0
    out = capsys.readouterr().out
    assert "distribution: neuroalign-efficientnet" in out and "neuroalign.models: efficientnet-lite0 =" in out
    assert "Parameters" in out  # the full docstring
    assert main(["info", "efficientnet-lite"]) == 2
    assert "Did you mean 'efficientnet-lite0'" in capsys.readouterr().err


def test_info_of_a_builtin_dataset_shows_its_manifest(capsys):
    assert main(["info", "kriegeskorte2008_92images"]) == 0
    out = capsys.readouterr().out
    assert "entry point: built-in" in out and "version: 1.0.0" in out and "sha256" in out


def test_plugin_new_refuses_bad_input(tmp_path, capsys):
    assert main(["plugin", "new", "net", "--kind", "modle", "--directory", str(tmp_path)]) == 2
    assert "unknown plugin kind 'modle'. Did you mean 'model'" in capsys.readouterr().err
    assert main(["plugin", "new", "Net!", "--kind", "model", "--directory", str(tmp_path)]) == 2
    assert "invalid plugin name 'Net!'" in capsys.readouterr().err
    (tmp_path / "neuroalign-net").mkdir()
    assert main(["plugin", "new", "net", "--kind", "model", "--directory", str(tmp_path)]) == 2
    assert "exists already" in capsys.readouterr().err
    assert main(["plugin", "check", "no-such-distribution"]) == 2
    assert "no installed distribution is named 'no-such-distribution'" in capsys.readouterr().err


@pytest.mark.slow
def test_scaffold_install_list_check_and_score(tmp_path):
    """The issue's end-to-end path, for all four kinds; the model is scored on the scaffolded benchmark."""
    kinds = {"model": "e2e-net", "dataset": "e2e_data", "metric": "e2e-metric", "benchmark": "e2e-bench"}
    folders = []
    for kind, name in kinds.items():
        assert main(["plugin", "new", name, "--kind", kind, "--directory", str(tmp_path / "src")]) == 0
        folders.append(str(tmp_path / "src" / f"neuroalign-{name.replace('_', '-')}"))
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                    "--target", str(site), *folders], check=True, capture_output=True, text=True)
    env = {**os.environ, "PYTHONPATH": str(site), "NEUROALIGN_OFFLINE": "1",
           "NEUROALIGN_DATA_CACHE": str(tmp_path / "data-cache"), "NEUROALIGN_CACHE_DIR": str(tmp_path / "acts")}

    listed = neuroalign("list", env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    ids = {tuple(line.split()[:2]) for line in listed.stdout.splitlines()[1:]}
    assert set(kinds.items()) <= ids

    for kind, name in kinds.items():
        checked = neuroalign("plugin", "check", f"neuroalign-{name.replace('_', '-')}", env=env, cwd=tmp_path)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "FAIL" not in checked.stdout and checked.stdout.count("PASS") >= 5

    score = ("from neuroalign.benchmarks import score; "
             "s = score('e2e-net', 'e2e-bench', cache=None, device='cpu', progress=False); "
             "print(s.value, s.provenance['commitment']['layer'])")
    scored = subprocess.run([sys.executable, "-c", score], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert scored.returncode == 0, scored.stderr
    value, layer = scored.stdout.split()
    assert -1.0 <= float(value) <= 1.0 and layer in ("conv1", "conv2", "fc")

    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--import-mode=importlib",
                            *(f"{folder}/tests" for folder in folders)], capture_output=True, text=True, env=env,
                           cwd=tmp_path)
    assert tests.returncode == 0, tests.stdout[-3000:]


def test_info_of_a_benchmark_shows_its_settings(capsys):
    from neuroalign.plugins import plugin_ids

    if "kriegeskorte2008.human_it.rsa" not in plugin_ids("benchmark"):
        pytest.skip("neuroalign's installed metadata registers no benchmark yet (reinstall it)")
    assert main(["info", "kriegeskorte2008.human_it.rsa"]) == 0
    out = capsys.readouterr().out
    fields = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line and not line.startswith(" "))
    assert fields["kind"] == "benchmark" and fields["modality"] == "image" and fields["metric"] == "spearman"
    assert fields["dataset"] == "kriegeskorte2008_92images" and fields["ceiling_method"] == "loso"
    assert fields["version"] == "1" and "\ncitation:\n  @article{kriegeskorte2008matching" in out
    assert "commitment=split" in fields["stats"] and fields["allow_missing_stimuli"] == "False"


def test_info_says_how_a_small_benchmark_commits_to_a_layer(capsys):
    from neuroalign.plugins import plugin_ids

    if "haxby2001.vt_slice.rsa" not in plugin_ids("benchmark"):
        pytest.skip("neuroalign's installed metadata registers no benchmark yet (reinstall it)")
    assert main(["info", "haxby2001.vt_slice.rsa"]) == 0
    out = capsys.readouterr().out
    assert "stats: n_bootstrap=1000, level=0.95, interval=percentile, seed=0, commitment=last" in out
    assert "model's last layer" in out


def test_info_of_a_broken_plugin_exits_1(tmp_path):
    site = tmp_path / "site"
    info = site / "broken_info-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-info\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[neuroalign.metrics]\nbroken.info = broken_info:factory\n")
    (site / "broken_info.py").write_text("import numpy as np\nnp.this_does_not_exist\n")
    out = neuroalign("info", "broken.info", env={**os.environ, "PYTHONPATH": str(site)})
    assert out.returncode == 1
    assert "status: broken: AttributeError" in out.stdout and "distribution: broken-info 0.1" in out.stdout
