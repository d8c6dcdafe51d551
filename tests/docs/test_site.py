"""The documentation site builds with warnings as errors (a broken cross-reference, an undocumented public name, a
failing example all fail it), every section and every public name is in it, and headless Chromium shows the index,
the API page of ``compare`` and a gallery example with its figures.

The build is the documented one, ``python -m sphinx -W docs docs/_build/html``, with every example of the gallery
executed on the real data; the tutorials are rendered without running them again (``NEUROALIGN_DOCS_TUTORIALS=skip``)
because ``tests/test_tutorials.py`` runs each of them. It shares the activation cache of the code-block test, so a
pretrained model sees the 92 images once in the session; sphinx-gallery reruns only the examples whose source changed
since the last build in this checkout (its own md5 check), so a fresh clone runs them all.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
HTML = DOCS / "_build" / "html"
EXAMPLES = sorted(p.stem for p in (ROOT / "examples").glob("plot_*.py"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

#: Under pytest-xdist (``--dist loadgroup``) the docs tests belong on one worker; where the group is not honoured,
#: ``once_per_run`` (conftest.py) still builds the site once per run.
pytestmark = pytest.mark.xdist_group("docs")


def _api_pages():
    spec = importlib.util.spec_from_file_location("api_pages", DOCS / "_ext" / "api_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def site(data_mirror, tmp_path_factory, docs_activation_cache, once_per_run) -> Path:
    missing = [name for name in ("sphinx", "numpydoc", "myst_parser", "sphinx_gallery", "pydata_sphinx_theme")
               if importlib.util.find_spec(name) is None]
    if missing:
        from servers.requirement import skip_or_fail

        skip_or_fail(f"{', '.join(missing)} not installed: pip install -e '.[docs]' (scripts/install.sh test does)")

    def build() -> dict:
        tmp = tmp_path_factory.mktemp("docs_build")
        env = {**os.environ, "NEUROALIGN_DATA_MIRROR": str(data_mirror),
               "NEUROALIGN_CACHE_DIR": str(docs_activation_cache), "NEUROALIGN_DATA_CACHE": str(tmp / "data"),
               "NEUROALIGN_RESULTS": str(tmp / "results.sqlite"), "NEUROALIGN_DOCS_TUTORIALS": "skip",
               "MPLBACKEND": "Agg",
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "docs", str(HTML)],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
        return {"returncode": out.returncode, "stderr": out.stderr[-6000:],
                "seconds": round(time.perf_counter() - started, 1)}

    built = once_per_run("docs_site", build)
    print(f"docs build: {built['seconds']} s")
    assert built["returncode"] == 0, f"the docs build failed:\n{built['stderr']}"
    return HTML


@pytest.mark.realdata
@pytest.mark.slow
def test_every_section_is_built(site):
    for page in ("index", "getting_started", "user_guide", "conventions", "architecture_page", "changelog",
                 "data", "models", "comparators", "metrics", "statistics", "benchmarks", "distributed",
                 "api/index", "api/generated/cli", "auto_examples/index", "auto_tutorials/index"):
        assert (site / f"{page}.html").is_file(), page
    index = (site / "auto_examples" / "index.html").read_text()
    for stem in EXAMPLES:
        assert f"{stem}.html" in index, stem
    assert len(EXAMPLES) >= 9


@pytest.mark.realdata
@pytest.mark.slow
def test_every_public_name_has_its_entry(site):
    from sphinx.util.inventory import InventoryFile

    with open(site / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    documented = {name for entries in inventory.data.values() for name in entries} \
        if hasattr(inventory, "data") else {name for entries in inventory.values() for name in entries}
    api = _api_pages()
    owner = api.owners()
    missing = []
    for package in api.PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            if not name.startswith("__") and f"{owner[id(getattr(module, name))]}.{name}" not in documented:
                missing.append(f"{package}.{name}")
    assert not missing, missing


@pytest.mark.realdata
@pytest.mark.slow
@pytest.mark.parametrize("stem", EXAMPLES)
def test_every_example_ran_and_shows_its_figures(site, stem):
    page = (site / "auto_examples" / f"{stem}.html").read_text()
    figures = re.findall(r'<img[^>]+src="(\.\./_images/sphx_glr_[^"]+\.png)"', page)
    assert figures, f"{stem}: no figure in its page"
    for src in figures:
        assert (site / "auto_examples" / src).resolve().stat().st_size > 1000, src
    assert "sphx-glr-script-out" in page, f"{stem}: no printed output"  # it was executed, not only rendered


# --- in a browser ---------------------------------------------------------------------------------------------

needs_browser = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed; `bash scripts/install.sh test` installs Debian's "
                             "package where apt-get and root rights are available")


def _chromium(tmp_path: Path, page: Path, *options: str) -> subprocess.CompletedProcess:
    command = [CHROMIUM, "--headless=new", "--disable-gpu", "--no-sandbox", "--enable-logging=stderr", "--v=0",
               "--allow-file-access-from-files", f"--user-data-dir={tmp_path / 'profile'}", *options,
               page.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Uncaught" not in done.stderr, done.stderr[-2000:]
    return done


def _colours(shot: Path) -> int:
    from PIL import Image

    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    return 1 << 16 if colours is None else len(colours)


@needs_browser
@pytest.mark.realdata
@pytest.mark.slow
@pytest.mark.parametrize(("page", "expected", "figure"), [
    ("index.html", "Compare brains with models", None),
    ("api/generated/neuroalign.compare.html", 'id="neuroalign.compare.compare"', None),
    ("auto_examples/plot_compare_with_model_rdms_and_ceiling.html", "noise ceiling: lower",
     "sphx_glr_plot_compare_with_model_rdms_and_ceiling_001.png"),
])
def test_chromium_renders_the_page(site, tmp_path, page, expected, figure):
    dom = _chromium(tmp_path, site / page, "--dump-dom", "--virtual-time-budget=5000").stdout
    assert expected in dom
    assert "bd-main" in dom  # the theme's layout was applied by the browser
    if figure:
        assert re.search(rf'<img[^>]+src="[^"]*{re.escape(figure)}"', dom), figure
        # The page as the browser draws it, down past the figure: not blank.
        shot = tmp_path / "shot.png"
        _chromium(tmp_path, site / page, f"--screenshot={shot}", "--window-size=1280,3000", "--hide-scrollbars",
                  "--virtual-time-budget=5000")
        assert _colours(shot) > 200  # text, navigation and the figure's bars, band and labels


def test_an_undocumented_public_name_is_a_build_warning(caplog):
    pytest.importorskip("sphinx")
    api = _api_pages()
    with caplog.at_level("WARNING"):
        api.refuse_undocumented(None, "function", "neuroalign.compare.undocumented", None, {}, [])
        api.refuse_undocumented(None, "method", "neuroalign.RDMs._private", None, {}, [])
        api.refuse_undocumented(None, "function", "neuroalign.compare.compare", None, {}, ["Compare RDMs."])
    messages = [record.getMessage() for record in caplog.records]
    assert messages == ["neuroalign.compare.undocumented is public and has no docstring"]
