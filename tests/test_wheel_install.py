"""A normal (non-editable) wheel install works on its own: manifests ship inside it, nothing is read from the checkout.

Issue 14, item 12. The wheel is built from a copy of the sources, installed with ``--no-deps`` into a fresh venv
(no system site-packages, no pip), and run from a directory outside the checkout. Its dependencies (torch, numpy,
...) come from the test environment through a folder of links to that environment's site-packages entries that
leaves out every neuroalign distribution, every editable-install hook and every ``.pth`` file, so that the only
neuroalign the venv can import is the wheel's, and the source tree is on no path. Installing the dependencies
for real would only re-test pip; what can break is what the wheel carries.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "neuroalign", "data_manifests")
FIRST_PARTY_DATASETS = sorted(p.stem for p in (ROOT / "data_manifests").glob("*.toml"))


def _clean_environment() -> dict[str, str]:
    """This process's environment without PYTHONPATH & co: a source tree on the path (a developer's PYTHONPATH)
    would let pip find the checkout's egg-info, take the wheel as already installed and skip it."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "NEUROALIGN_", "VIRTUAL_ENV"))}


def _run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("env", _clean_environment())
    out = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300, **kwargs)
    assert out.returncode == 0, f"{' '.join(map(str, args))}\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}"
    return out


def _build_wheel(tmp: Path) -> Path:
    src = tmp / "src"  # a copy: building in place would leave build/ and *.egg-info in the checkout
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, src / name)
    import setuptools

    # The build backend of this environment when it is recent enough (no network); pip's isolated build otherwise.
    isolation = [] if int(setuptools.__version__.split(".")[0]) >= 77 else ["--use-pep517"]
    no_isolation = [] if isolation else ["--no-build-isolation"]
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *no_isolation, "-w", tmp / "dist", src)
    (wheel,) = (tmp / "dist").glob("neuroalign-*.whl")
    return wheel


def _dependency_view(tmp: Path) -> Path:
    """Links to this environment's site-packages entries, minus neuroalign, editable hooks and .pth files."""
    site = Path(sysconfig.get_paths()["purelib"])
    view = tmp / "deps"
    view.mkdir()
    for entry in site.iterdir():
        name = entry.name.lower()
        if name.startswith(("neuroalign", "__editable__", "_neuroalign")) or name.endswith(".pth"):
            continue
        direct = entry / "direct_url.json"
        if name.endswith(".dist-info") and direct.is_file() and \
                json.loads(direct.read_text()).get("dir_info", {}).get("editable"):
            continue  # an editable plugin would point back into a source tree
        (view / entry.name).symlink_to(entry)
    return view


def _venv(tmp: Path, wheel: Path) -> tuple[Path, Path]:
    venv = tmp / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel)
    purelib = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (purelib / "zz_test_dependencies.pth").write_text(f"{_dependency_view(tmp)}\n")
    return python, purelib / "neuroalign"


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


@pytest.mark.slow
def test_wheel_ships_the_manifests_and_runs_outside_the_checkout(tmp_path):
    if not hasattr(os, "symlink") or sys.platform == "win32":
        pytest.skip("the dependency view is a folder of symbolic links (POSIX)")
    wheel = _build_wheel(tmp_path)
    python, package = _venv(tmp_path, wheel)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = _clean_environment()
    env.update(PYTHONDONTWRITEBYTECODE="1", XDG_CACHE_HOME=str(tmp_path / "xdg"), HF_HUB_OFFLINE="1",
               NEUROALIGN_DATA_CACHE=str(tmp_path / "data-cache"), NEUROALIGN_OFFLINE="1",
               NEUROALIGN_CACHE_DIR=str(tmp_path / "acts"), NEUROALIGN_RESULTS=str(tmp_path / "results.sqlite"))
    mirror = ROOT.parent / "shared" / "data"
    if (mirror / "kriegeskorte2008_92images").is_dir():
        env["NEUROALIGN_DATA_MIRROR"] = str(mirror)
    before = _snapshot(package)

    def run(*args: str) -> str:
        return _run(python, *args, cwd=outside, env=env).stdout

    where = run("-c", "import neuroalign, neuroalign.data.manifest as m; print(neuroalign.__file__); "
                      "print(m.builtin_manifest_dir())").split()
    assert Path(where[0]).is_relative_to(package) and Path(where[1]) == package / "data" / "manifests"
    assert not any(str(ROOT) in p for p in run("-c", "import sys; print(sys.path)").split(","))
    listing = _run(python.parent / "neuroalign", "data", "list", cwd=outside, env=env).stdout  # the console script
    for dataset in FIRST_PARTY_DATASETS:
        assert dataset in listing and "BROKEN" not in listing
    benchmarks = _run(python.parent / "neuroalign", "list", "benchmarks", cwd=outside, env=env).stdout
    assert "kriegeskorte2008.human_it.rsa" in benchmarks and "haxby2001.vt_slice.rsa" in benchmarks
    loaded = run("-c", (
        "from neuroalign.plugins.catalog import load_benchmark\n"
        "import os\n"
        "for bid in ('kriegeskorte2008.human_it.rsa', 'kriegeskorte2008.monkey_it.rsa', 'haxby2001.vt_slice.rsa',"
        " 'ssvep_eeg.trials.time_resolved_rsa'):\n"
        "    bench = load_benchmark(bid)\n"
        "    assert '@' in bench.citation, bid\n"
        "    if os.environ.get('NEUROALIGN_DATA_MIRROR') and bid.startswith('kriegeskorte'):\n"
        "        print(bid, len(bench.stimuli().stimulus_ids))\n"
        "    else:\n"
        "        print(bid, 'cited')\n"))
    assert "kriegeskorte2008.human_it.rsa" in loaded and "ssvep_eeg.trials.time_resolved_rsa cited" in loaded
    if "NEUROALIGN_DATA_MIRROR" in env:
        assert "kriegeskorte2008.human_it.rsa 92" in loaded
    # the report's jinja2 templates ship in the wheel: a report renders from the installed package alone
    reported = run("-c", (
        "from neuroalign.core.score import Score\n"
        "from neuroalign.store import ResultsStore\n"
        "from neuroalign.report import build_report\n"
        "with ResultsStore('r.sqlite') as s:\n"
        "    s.put(Score(0.2, 'spearman', ceiling=0.5, interval=(0.1, 0.3)), model_id='m', benchmark_id='b',"
        " benchmark_version='1')\n"
        "print(build_report('r.sqlite', 'r.html').read_text().count('<tr data-model='))\n"))
    assert reported.split() == ["1"]
    (outside / "r.sqlite").unlink()
    (outside / "r.html").unlink()
    assert _snapshot(package) == before, "the installed package must never write into its own folder"
