"""The HTML report of a real results store (scored on the real data), read as HTML and loaded in headless Chromium."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from neuroalign.benchmarks import StatsPolicy
from neuroalign.benchmarks.firstparty import HumanIT92, MonkeyIT92, SsvepEegTimeResolved
from neuroalign.runs.grid import run
from neuroalign.cli.main import main
from neuroalign.core.score import Score
from neuroalign.data.manifest import load_manifest
from neuroalign.models import PrecomputedAdapter
from neuroalign.plugins import load_benchmark
from neuroalign.report.html import EmptyStoreError, build_report
from neuroalign.store import ResultsStore

pytestmark = pytest.mark.realdata

IMAGE_MODELS = ("alpha", "beta<b>", "gamma")  # "beta<b>" must stay literal text, never become markup
EEG_MODEL = "eeg-condition"
RETIRED = "retired.benchmark"  # stored scores of a benchmark id no plugin registers any more
FIRST_PARTY = (HumanIT92.id, MonkeyIT92.id, SsvepEegTimeResolved.id)


def _features(path: Path, ids, model_id: str, **layers) -> PrecomputedAdapter:
    np.savez(path, stimulus_ids=np.array(ids), **layers)
    return PrecomputedAdapter(path, model_id=model_id)


@pytest.fixture(scope="module")
def report(tmp_path_factory, data_mirror) -> Path:
    """A store filled by the grid (3 feature "models" on human and monkey IT, one on the EEG), and its report."""
    folder = tmp_path_factory.mktemp("html_report")
    human, monkey, eeg = (cls(mirror=data_mirror) for cls in (HumanIT92, MonkeyIT92, SsvepEegTimeResolved))
    ids = list(human.stimuli().stimulus_ids)
    rng = np.random.default_rng(0)
    monkey_rdm = human.adapter().monkey_it_rdms().reorder(ids).to_square()[0]
    geometry = np.linalg.eigh(-0.5 * monkey_rdm)[1][:, -20:]  # features with the monkey IT geometry
    models = [_features(folder / f"image{k}.npz", ids, name, noise=rng.normal(size=(92, 30)),
                        mixed=geometry + k * rng.normal(scale=0.05, size=geometry.shape))
              for k, name in enumerate(IMAGE_MODELS)]
    trials = eeg.stimuli()
    conditions = np.array(trials.metadata["condition"])
    onehot = np.stack([conditions == "1xx", conditions == "2xx"], axis=1).astype(float)
    eeg_model = _features(folder / "eeg.npz", list(trials.stimulus_ids), EEG_MODEL,
                          condition=onehot + rng.normal(scale=0.5, size=onehot.shape))
    store_path = folder / "results.sqlite"
    policy = StatsPolicy(n_bootstrap=50)
    with ResultsStore(store_path) as store:
        run(models, [human, monkey], store=store, stats=policy, progress=False)
        run([eeg_model], [eeg], store=store, stats=policy, progress=False)
        store.put(Score(0.5, "spearman", ceiling=0.4, ceiling_low=0.3, interval=(0.45, 0.55)), model_id="alpha",
                  benchmark_id=RETIRED, benchmark_version="2", parameters={"note": "<i>old</i>"})
    return build_report(store_path, folder / "out" / "report.html", title="Report <of> models")


class _Page(HTMLParser):
    """What the checks need from a page: ids, src/href values, leaderboard rows, images by section, tags seen."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids, self.srcs, self.hrefs, self.tags = set(), [], [], []
        self.board_rows: list[list[str]] = []
        self.images: list[tuple[str | None, str]] = []  # (benchmark section id, alt text)
        self.pre: list[str] = []
        self.details = 0
        self._board = self._body = self._pre = False
        self._section: str | None = None
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.add(a["id"])
        self.srcs += [a["src"]] if "src" in a else []
        self.hrefs += [a["href"]] if "href" in a else []
        if tag == "section" and a.get("id", "").startswith("benchmark-"):
            self._section = a["id"]
        self._board |= tag == "table" and a.get("id") == "leaderboard"
        self._body |= self._board and tag == "tbody"
        if self._body and tag == "tr":
            self.board_rows.append([])
        if self._body and tag in ("th", "td"):
            self.board_rows[-1].append("")
        if tag == "img":
            self.images.append((self._section, a.get("alt", "")))
        if tag == "pre":
            self._pre = True
            self.pre.append("")
        self.details += tag == "details"

    def handle_endtag(self, tag):
        if tag == "table":
            self._board = self._body = False
        if tag == "section":
            self._section = None
        if tag == "pre":
            self._pre = False

    def handle_data(self, data):
        if self._body and self.board_rows and self.board_rows[-1]:
            self.board_rows[-1][-1] += data
        if self._pre:
            self.pre[-1] += data


def _page(path: Path) -> _Page:
    return _Page(path.read_text(encoding="utf-8"))


# --- the HTML itself ------------------------------------------------------------------------------------------


def test_the_report_is_self_contained(report):
    page = _page(report)
    assert page.srcs and all(src.startswith("data:image/png;base64,") for src in page.srcs)
    assert not [u for u in page.srcs + page.hrefs if re.match(r"\s*(https?:)?//", u, re.I)]
    assert all(href.startswith("#") and href[1:] in page.ids for href in page.hrefs)  # in-page links only
    assert "script" not in page.tags and "link" not in page.tags and "style" in page.tags
    for src in page.srcs:
        with Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))) as image:
            assert image.format == "PNG" and min(image.size) > 100
    assert not list(report.parent.glob("*.partial"))


def test_the_leaderboard_has_one_row_per_model(report):
    page = _page(report)
    rows = {row[0]: row[1:] for row in page.board_rows}
    assert sorted(rows) == sorted([*IMAGE_MODELS, EEG_MODEL]) and len(page.board_rows) == 4
    assert all(len(cells) == len(FIRST_PARTY) + 2 for cells in rows.values())  # benchmarks, the retired one, mean
    retired = rows["alpha"][2]  # columns: human IT, monkey IT, the retired benchmark, EEG, mean
    assert retired.startswith("1.25*") and "[1.12, 1.38]" in retired  # normalised, above its ceiling
    assert rows[EEG_MODEL][:2] == ["-", "-"]


def test_raw_and_normalised_scores_are_labelled_and_never_averaged(report):
    page = _page(report)
    text = report.read_text(encoding="utf-8")
    # each benchmark column says its scale; monkey IT (one RDM, no ceiling) is raw
    assert text.count('<span class="scale">normalised</span>') == 2  # human IT and the retired benchmark
    assert text.count('<span class="scale">raw</span>') == 2  # monkey IT and the EEG
    assert "mean normalised</th>" in text
    rows = {row[0]: row[1:] for row in page.board_rows}
    for model in IMAGE_MODELS:
        human, monkey, retired, eeg, mean = rows[model]
        assert monkey.split(" ")[0].endswith("^")  # a raw cell is marked as raw
        normalised = [float(c.split(" ")[0].rstrip("*^")) for c in (human, retired) if c != "-"]
        assert float(mean) == pytest.approx(np.mean(normalised), abs=0.006)  # two-decimal cells
    assert rows[EEG_MODEL][-1] == "-"  # raw scores only: no mean of normalised scores
    heatmaps = [alt for section, alt in page.images if section is None]
    assert [alt.split(" of the models")[0] for alt in heatmaps] == [
        "Ceiling-normalised scores (score / noise ceiling)", "Raw scores (benchmarks without a positive noise "
        "ceiling)"]


def test_every_benchmark_has_its_section_scores_figures_and_provenance(report):
    page = _page(report)
    for benchmark_id in (*FIRST_PARTY, RETIRED):
        assert f"benchmark-{benchmark_id}" in page.ids
    sections = [s for s, _ in page.images]
    assert sections.count(f"benchmark-{HumanIT92.id}") == len(IMAGE_MODELS)  # a layer profile per score
    eeg = [alt for s, alt in page.images if s == f"benchmark-{SsvepEegTimeResolved.id}"]
    assert len(eeg) == 1 and "time course" in eeg[0]
    assert page.details == 2 * len(IMAGE_MODELS) + 2  # one provenance block per stored score
    text = report.read_text(encoding="utf-8")
    for digest in (f.sha256 for f in load_manifest("kriegeskorte2008_92images").files):
        assert digest in text
    assert "Report &lt;of&gt; models" in text and "neuroalign " in text


def test_citations_and_an_id_that_no_longer_resolves(report):
    page = _page(report)
    assert "references" in page.ids
    for benchmark_id in FIRST_PARTY:
        assert load_benchmark(benchmark_id).citation.strip() in page.pre
    text = report.read_text(encoding="utf-8")
    assert text.count("no longer resolves") == 2  # in its section and in the references


def test_text_is_escaped(report):
    page = _page(report)
    text = report.read_text(encoding="utf-8")
    assert "b" not in page.tags and "i" not in page.tags and "of" not in page.tags
    assert "beta&lt;b&gt;" in text and "beta<b>" not in text and "&lt;i&gt;old&lt;/i&gt;" in text


def test_crossvalidated_scores_show_each_fold(tmp_path, data_mirror):
    eeg = SsvepEegTimeResolved(mirror=data_mirror)
    trials = list(eeg.stimuli().stimulus_ids)
    rng = np.random.default_rng(1)
    model = _features(tmp_path / "two.npz", trials, "two-layers", x=rng.normal(size=(16, 4)),
                      y=rng.normal(size=(16, 4)))
    run([model], [eeg], store=tmp_path / "cv.sqlite", progress=False,
        stats=StatsPolicy(n_bootstrap=20, commitment="crossval"))
    page = _page(build_report(tmp_path / "cv.sqlite", tmp_path / "cv.html"))
    alts = [alt for _, alt in page.images[1:]]  # after the heatmap
    assert [a.split(" on ")[0] for a in alts] == [
        "two-layers: selection scores per layer (fold 1 of 2)", "two-layers: selection scores per layer (fold 2 of 2)",
        "two-layers: time course (fold 1 of 2) of the comparison", "two-layers: time course (fold 2 of 2) of the "
        "comparison"]


def test_a_dollar_in_ids_and_layer_names_is_drawn_as_text(tmp_path):
    # matplotlib reads text between two $ as TeX: "cost$_$net" failed to draw, "net$v2$" came out in italics
    model, layers = "cost$_$net", ["blk$_$1", "price $5 vs $6"]
    provenance = {"layers_considered": layers, "commitment": {"method": "split", "layer": layers[1], "folds": [
        {"layer": layers[1], "selection_scores": {layers[0]: 0.1, layers[1]: 0.3}}]},
        "details": {"times": [0.0, 0.5, 1.0], "time_course": [0.1, 0.2, 0.1], "window": [0.0, 1.0]}}
    with ResultsStore(tmp_path / "dollar.sqlite") as store:
        store.put(Score(0.3, "spearman$x$", ceiling=0.6, interval=(0.2, 0.4), provenance=provenance),
                  model_id=model, benchmark_id="bench$_$one", benchmark_version="1")
    page = _page(build_report(tmp_path / "dollar.sqlite", tmp_path / "dollar.html"))
    assert [row[0] for row in page.board_rows] == [model]
    assert len(page.images) == 3  # the heatmap, the layer profile, the time course


def test_labels_reach_matplotlib_escaped():
    import pandas as pd

    from neuroalign.report.plots import figure_to_base64_png, plot_score_matrix

    fig = plot_score_matrix(pd.DataFrame({"b$_$": [0.5]}, index=["net$v2$"]), title="t$_$")
    figure_to_base64_png(fig)  # draws
    ax = fig.axes[0]
    shown = [t.get_text() for t in (*ax.get_xticklabels(), *ax.get_yticklabels(), ax.title)]
    assert [t.replace("\\$", "$") for t in shown] == ["b$_$", "net$v2$", "t$_$"]
    assert not any(t._preprocess_math(t.get_text())[1] for t in (*ax.get_yticklabels(), ax.title))  # not mathtext


def test_an_empty_store_is_refused_and_nothing_is_written(tmp_path, report):
    out = tmp_path / "empty.html"
    with ResultsStore(tmp_path / "empty.sqlite") as store, pytest.raises(EmptyStoreError, match="no 'score'"):
        build_report(store, out)
    with pytest.raises(EmptyStoreError, match="unknown.benchmark"):
        build_report(report.parent.parent / "results.sqlite", out, benchmarks=["unknown.benchmark"])
    assert not out.exists() and not list(tmp_path.glob("*.partial"))


def test_the_report_command(tmp_path, report, capsys):
    store, out = report.parent.parent / "results.sqlite", tmp_path / "cli.html"
    assert main(["report", "--store", str(store), "--output", str(out), "--title", "CLI", "-b", MonkeyIT92.id]) == 0
    assert str(out) in capsys.readouterr().out
    page = _page(out)
    assert f"benchmark-{MonkeyIT92.id}" in page.ids and f"benchmark-{HumanIT92.id}" not in page.ids
    assert main(["report", "--store", str(tmp_path / "missing.sqlite"), "--output", str(out)]) == 2
    assert "no results store" in capsys.readouterr().err and not (tmp_path / "missing.sqlite").exists()


def test_a_postgresql_copy_of_the_store_gives_the_same_report_and_exports(tmp_path, report, postgres_url, capsys):
    """Report and export read a PostgreSQL store as they read SQLite: the same page (but for the time it was
    generated) and the same CSV, from the same results copied over with ``neuroalign store copy``."""
    store = report.parent.parent / "results.sqlite"
    assert main(["store", "copy", str(store), postgres_url]) == 0
    pages = []
    for name, where in (("sqlite", str(store)), ("postgresql", postgres_url)):
        out = tmp_path / f"{name}.html"
        assert main(["report", "--store", where, "--output", str(out), "--title", "Same"]) == 0
        pages.append(re.sub(r"Generated \d{4}-\d\d-\d\d \d\d:\d\d UTC", "Generated", out.read_text()))
        assert main(["leaderboard", "--store", where, "--csv", str(tmp_path / f"{name}.csv")]) == 0
    assert pages[0] == pages[1]
    assert (tmp_path / "sqlite.csv").read_bytes() == (tmp_path / "postgresql.csv").read_bytes()
    capsys.readouterr()


# --- in a browser ---------------------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed; `bash scripts/install.sh test` installs Debian's "
                             "package where apt-get and root rights are available")

#: A page's console message in Chromium's log (``--enable-logging=stderr --v=0``): ``INFO:CONSOLE(12)] "..."`` in
#: older builds, ``INFO:CONSOLE:12] "..."`` in current ones (Chromium 150 here), every level alike; an uncaught
#: exception reads ``"Uncaught Error: ..."``. The report has no script, so any console message is a failure.
CONSOLE = re.compile(r":CONSOLE[(:]\d+\)?\]|Uncaught")


def _chromium(profile: Path, page: Path, *options: str) -> subprocess.CompletedProcess:
    command = [CHROMIUM, "--headless=new", "--disable-gpu", "--no-sandbox", "--enable-logging=stderr", "--v=0",
               f"--user-data-dir={profile}", *options, page.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if CONSOLE.search(line)]


@needs_browser
def test_the_console_check_catches_a_script_error(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><html><body><p>x</p><script>throw new Error("x")</script></body></html>')
    errors = _console(_chromium(tmp_path / "profile", broken, "--dump-dom").stderr)
    assert errors and "Uncaught Error: x" in errors[0]


@needs_browser
def test_chromium_renders_the_report(tmp_path, report):
    dumped = _chromium(tmp_path / "profile", report, "--dump-dom")
    assert _console(dumped.stderr) == []
    page = _Page(dumped.stdout)
    assert sorted(row[0] for row in page.board_rows) == sorted([*IMAGE_MODELS, EEG_MODEL])
    assert {f"benchmark-{b}" for b in FIRST_PARTY} <= page.ids
    shot = tmp_path / "shot.png"
    done = _chromium(tmp_path / "profile", report, f"--screenshot={shot}", "--window-size=1280,2000")
    assert _console(done.stderr) == []
    with Image.open(shot) as image:
        assert image.format == "PNG" and image.size == (1280, 2000)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 100  # text, tables and the heatmap, not a blank page
