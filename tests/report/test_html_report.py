"""The HTML report of a real results store (scored on the real data), read as HTML (the browser tests are in
test_report_browser.py)."""

from __future__ import annotations

import base64
import io
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_helpers import EEG_MODEL, FIRST_PARTY, IMAGE_MODELS, RETIRED, features  # noqa: E402

from neuroalign.benchmarks import StatsPolicy  # noqa: E402
from neuroalign.benchmarks.firstparty import (HaxbySliceCategories, HumanIT92, MonkeyIT92,  # noqa: E402
                                              SsvepEegTimeResolved)
from neuroalign.runs.grid import run  # noqa: E402
from neuroalign.cli.main import main  # noqa: E402
from neuroalign.core.score import Score  # noqa: E402
from neuroalign.data.manifest import load_manifest  # noqa: E402
from neuroalign.plugins import load_benchmark  # noqa: E402
from neuroalign.report.html import EmptyStoreError, build_report  # noqa: E402
from neuroalign.store import ResultsStore  # noqa: E402
pytestmark = pytest.mark.realdata

class _Page(HTMLParser):
    """What the checks need from a page: ids, src/href values, leaderboard cells, figures by section, tags seen."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids, self.srcs, self.hrefs, self.tags = set(), [], [], []
        self.scripts: list[dict] = []
        self.board_rows: list[list[dict]] = []  # per leaderboard row, per cell: class, data-value, text
        self.images: list[tuple[str | None, str]] = []  # (section id, alt text)
        self.figures: list[list[dict]] = []  # each figure's data-axes
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
        self.srcs += [a["src"]] if "src" in a and tag == "img" else []
        self.hrefs += [a["href"]] if "href" in a else []
        self.scripts += [a] if tag == "script" else []
        if tag == "section":
            self._section = a.get("id")
        self._board |= tag == "table" and a.get("id") == "leaderboard"
        self._body |= self._board and tag == "tbody"
        if self._body and tag == "tr":
            self.board_rows.append([])
        if self._body and tag in ("th", "td"):
            self.board_rows[-1].append({"class": a.get("class") or "", "value": a.get("data-value"), "text": ""})
        if tag == "img":
            self.images.append((self._section, a.get("alt", "")))
        if tag == "figure":
            self.figures.append(json.loads(a["data-axes"]))
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
            self.board_rows[-1][-1]["text"] += data
        if self._pre:
            self.pre[-1] += data

    def rows(self) -> dict[str, list[dict]]:
        """Leaderboard cells by model: rank, model, (raw, normalised) per benchmark column, mean."""
        return {row[1]["text"].strip(): row for row in self.board_rows}


def _page(path: Path) -> _Page:
    return _Page(path.read_text(encoding="utf-8"))


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+\.\d+", text)]


# --- the HTML itself ------------------------------------------------------------------------------------------

#: The leaderboard's benchmark columns, in order (sorted labels): Haxby, human IT, monkey IT, the retired one, EEG.
COLUMNS = (HaxbySliceCategories.id, HumanIT92.id, MonkeyIT92.id, RETIRED, SsvepEegTimeResolved.id)


def _cell(row: list[dict], benchmark: str) -> tuple[dict, dict]:
    k = 2 + 2 * COLUMNS.index(benchmark)
    return row[k], row[k + 1]


def test_the_report_is_self_contained(report):
    page = _page(report)
    assert page.srcs and all(src.startswith("data:image/png;base64,") for src in page.srcs)
    assert not [u for u in page.srcs + page.hrefs if re.match(r"\s*(https?:)?//", u, re.I)]
    assert all(href.startswith("#") and href[1:] in page.ids for href in page.hrefs)  # in-page links only
    assert len(page.scripts) == 1 and "src" not in page.scripts[0]  # one inline script, nothing loaded
    assert "link" not in page.tags and "style" in page.tags
    for src in page.srcs:
        with Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))) as image:
            assert image.format == "PNG" and min(image.size) > 100
    assert not list(report.parent.glob("*.partial"))


def test_the_leaderboard_has_one_row_per_model(report):
    page = _page(report)
    rows = page.rows()
    assert sorted(rows) == sorted([*IMAGE_MODELS, EEG_MODEL]) and len(page.board_rows) == 4
    assert all(len(cells) == 2 + 2 * len(COLUMNS) + 1 for cells in rows.values())  # rank, model, pairs, mean
    assert [row[0]["value"] for row in page.board_rows] == ["1", "2", "3", "4"]
    raw, normalised = _cell(rows["alpha"], RETIRED)
    assert _numbers(raw["text"]) == [0.5, 0.45, 0.55]  # the raw score and its interval
    assert _numbers(normalised["text"]) == [1.25, 1.125, 1.375] and "*" in normalised["text"]  # / the ceiling 0.4
    assert all("unscored" in c["class"] for c in _cell(rows[EEG_MODEL], HumanIT92.id))


def test_each_score_shows_raw_and_normalised_with_intervals_and_counts(report):
    page = _page(report)
    text = report.read_text(encoding="utf-8")
    assert text.count('<span class="scale">normalised</span>') == 3  # Haxby, human IT and the retired benchmark
    assert text.count('<span class="scale">raw</span>') == 2  # monkey IT and the EEG
    rows = page.rows()
    with ResultsStore(report.parent.parent / "results.sqlite", create=False) as store:
        stored = {(r.model_id, r.benchmark_id): r for r in store.results(kind="score").itertuples()}
    for (model, benchmark), result in stored.items():
        raw, normalised = _cell(rows[model], benchmark)
        assert float(raw["value"]) == result.value
        assert _numbers(raw["text"])[:3] == pytest.approx([result.value, result.interval_low, result.interval_high],
                                                          abs=5e-4)
        if benchmark == RETIRED:
            continue
        subjects = "4 subjects" if benchmark == HumanIT92.id else "1 subject"
        assert f"{result.n_scored} stimuli · {subjects}" in raw["text"]
        if not np.isnan(result.normalized):  # normalised by the ceiling, the same interval divided by it
            expected = np.array([result.value, result.interval_low, result.interval_high]) / result.ceiling
            assert _numbers(normalised["text"]) == pytest.approx(expected, abs=5e-4)
        else:
            assert normalised["value"] == "" and "no ceiling" in normalised["text"]
    for model in IMAGE_MODELS:  # the mean averages normalised scores only
        cells = [_cell(rows[model], b)[1]["value"] for b in (HaxbySliceCategories.id, HumanIT92.id, RETIRED)]
        mean = np.mean([float(c) for c in cells if c])
        assert float(rows[model][-1]["value"]) == pytest.approx(mean, rel=1e-12)
    assert rows[EEG_MODEL][-1]["value"] == ""  # raw scores only: no mean of normalised scores


def test_the_score_matrix_has_fixed_scales(report):
    page = _page(report)
    matrix = [alt for section, alt in page.images if section == "leaderboard-section"]
    assert len(matrix) == 1 and matrix[0].startswith("Models x benchmarks")
    bars = [a for a in page.figures[0] if "colorbar" in a]
    assert [(b["vmin"], b["vmax"]) for b in bars] == [(0.0, 1.0), (-1.0, 1.0)]


def test_every_figure_is_labelled_and_no_colour_scale_collapses(report):
    page = _page(report)
    assert len(page.figures) == len(page.images) > 5
    for axes in page.figures:
        drawn = [a for a in axes if "xlabel" in a]
        assert drawn and all(a["xlabel"] and a["ylabel"] for a in drawn), axes
        assert all(b["vmax"] - b["vmin"] >= 0.1 for b in axes if "colorbar" in b), axes


def test_every_benchmark_has_its_section_scores_figures_and_provenance(report):
    page = _page(report)
    for benchmark_id in (*FIRST_PARTY, RETIRED):
        assert f"benchmark-{benchmark_id}" in page.ids
    human = [alt for s, alt in page.images if s == f"benchmark-{HumanIT92.id}"]
    # the selection scores that chose the layer are drawn on the stored layer profile (dashed)
    assert sum("dashed: the selection scores" in alt for alt in human) == len(IMAGE_MODELS)
    eeg = [alt for s, alt in page.images if s == f"benchmark-{SsvepEegTimeResolved.id}"]
    assert sum("time course" in alt for alt in eeg) == 1
    assert page.details == 3 * len(IMAGE_MODELS) + 2  # one provenance block per stored score
    text = report.read_text(encoding="utf-8")
    for digest in (f.sha256 for f in load_manifest("kriegeskorte2008_92images").files):
        assert digest in text
    assert "Report &lt;of&gt; models" in text and "neuroalign " in text
    for model in (*IMAGE_MODELS, EEG_MODEL):  # every model has its section, linked from the leaderboard
        anchor = page.rows()[model][1]
        assert anchor["text"].strip() == model
    assert sum(i.startswith("model-") for i in page.ids) == len(IMAGE_MODELS) + 1


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
    model = features(tmp_path / "two.npz", trials, "two-layers", x=rng.normal(size=(16, 4)),
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
    assert list(page.rows()) == [model]
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
    assert main(["report", "--store", str(store), "--output", str(out), "--title", "CLI", "-b", RETIRED]) == 0
    assert str(out) in capsys.readouterr().out
    page = _page(out)
    assert f"benchmark-{RETIRED}" in page.ids and f"benchmark-{HumanIT92.id}" not in page.ids
    assert main(["report", "--store", str(tmp_path / "missing.sqlite"), "--output", str(out)]) == 2
    assert "no results store" in capsys.readouterr().err and not (tmp_path / "missing.sqlite").exists()


def test_a_postgresql_copy_of_the_store_gives_the_same_report_and_exports(tmp_path, data_mirror, postgres_url,
                                                                           capsys):
    """Report and export read a PostgreSQL store as they read SQLite: the same page (but for the time it was
    generated) and the same CSV, from the same results copied over with ``neuroalign store copy``."""
    store = tmp_path / "results.sqlite"  # a small store of its own: this test runs with the servers' tests
    eeg = SsvepEegTimeResolved(mirror=data_mirror)
    trials = list(eeg.stimuli().stimulus_ids)
    model = features(tmp_path / "eeg.npz", trials, "eeg<x>", a=np.random.default_rng(2).normal(size=(16, 3)))
    run([model], [eeg], store=store, progress=False, stats=StatsPolicy(n_bootstrap=20))
    with ResultsStore(store) as opened:
        opened.put(Score(0.5, "spearman", ceiling=0.4, ceiling_low=0.3, interval=(0.45, 0.55)), model_id="alpha",
                   benchmark_id=RETIRED, benchmark_version="2", parameters={"note": "<i>old</i>"})
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


# --- per score: stored layer profile, per-subject points, RDMs -----------------------------------------------


def _section_alts(page: _Page, benchmark: str) -> list[str]:
    return [alt for s, alt in page.images if s == f"benchmark-{benchmark}"]


def test_each_score_shows_its_stored_profile_subjects_and_rdms(report):
    page = _page(report)
    human, monkey = _section_alts(page, HumanIT92.id), _section_alts(page, MonkeyIT92.id)
    for alts, n_subjects in ((human, 4), (monkey, 1)):
        assert sum("stored layer profile" in a and "2 layers" in a and "committed layer mixed is starred" in a
                   for a in alts) == len(IMAGE_MODELS)
        assert sum("RDM at the committed layer next to the brain RDM" in a and "46 scored stimuli" in a
                   and "grouped by category" in a for a in alts) == len(IMAGE_MODELS)
        # per-subject points where there are several subjects (one subject's point is the score itself)
        assert sum("the score per subject (4 subjects)" in a for a in alts) == (len(IMAGE_MODELS)
                                                                              if n_subjects > 1 else 0)
    assert not [a for a in _section_alts(page, SsvepEegTimeResolved.id) if "stored layer profile" in a]


def test_the_kept_rdms_are_the_model_and_brain_rdms_on_the_scored_stimuli(report_store, data_mirror):
    """Independent check: scipy's correlation distance of the committed layer's features on the held-out stimuli,
    and the mean of the subjects' RDMs (read from the data, not from neuroalign's benchmark)."""
    from scipy.io import loadmat
    from scipy.spatial.distance import pdist, squareform

    with ResultsStore(report_store, create=False) as store:
        rows = store.results(kind="score")
        key = rows[(rows.model_id == "gamma") & (rows.benchmark_id == HumanIT92.id)].request_key.iloc[0]
        result = store.get(key)
    kept = result.provenance["details"]["rdms"]
    assert kept["n_subjects"] == 4 and len(kept["stimulus_ids"]) == 46 and kept["model_distance"] == "correlation"
    with np.load(report_store.parent / "image2.npz") as saved:
        ids = [str(i) for i in saved["stimulus_ids"]]
        features = saved[result.layer][[ids.index(i) for i in kept["stimulus_ids"]]]
    np.testing.assert_allclose(kept["model"], pdist(features, "correlation"), rtol=1e-5)
    mat = loadmat(data_mirror / "kriegeskorte2008_92images" / "92_brainRDMs.mat")["RDMs"][0]
    # each subject's RDM is the mean of its two sessions; the kept brain RDM is the mean over the four subjects
    square = np.mean([np.mean([mat[s, k]["RDM"] for k in range(2)], axis=0) for s in range(4)], axis=0)
    position = [ids.index(i) for i in kept["stimulus_ids"]]  # the .npz and the .mat share the dataset's order
    np.testing.assert_allclose(kept["brain"], squareform(square[np.ix_(position, position)], checks=False),
                               rtol=1e-5)
    assert kept["categories"][0] in {"human bodypart", "human face", "nonhuman bodypart", "nonhuman face",
                                     "natural inanimate", "artificial inanimate"}


def test_the_page_stays_usable_with_one_or_500_models(tmp_path):
    from neuroalign.store import ResultRecord

    for n in (1, 500):
        path = tmp_path / f"{n}.sqlite"
        with ResultsStore(path) as store:
            store.put_many([ResultRecord(Score(0.13 + 1e-5 * k, "spearman", ceiling=0.6, interval=(0.1, 0.2)),
                                         f"model-{k:03d}", bench, "1") for k in range(n) for bench in ("a", "b")])
        page = _page(build_report(path, tmp_path / f"{n}.html"))
        assert len(page.board_rows) == n
        (matrix,) = [axes for axes in page.figures if any(a.get("title") == "Models x benchmarks" for a in axes)]
        bars = [(a["vmin"], a["vmax"]) for a in matrix if "colorbar" in a]
        assert bars == [(0.0, 1.0)]  # the fixed scale, not 0.217-0.225 fitted to the scores
        src = next(src for src in page.srcs)
        with Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))) as image:
            assert image.size[1] <= 1600 + 1  # the figure stops growing at 16 inches (100 dpi)
        labels = [a["ylabel"] for a in matrix if "ylabel" in a]
        assert labels == (["model"] if n == 1 else ["model (500, in the table's order)"])
