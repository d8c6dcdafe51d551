"""The report's extra sections: the alignment studies of the store, and a section added by a registered builder."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_helpers import ALIGNED  # noqa: E402

from neuroalign.core.score import Score  # noqa: E402
from neuroalign.report.html import build_report  # noqa: E402
from neuroalign.store import ResultsStore  # noqa: E402

pytestmark = pytest.mark.realdata


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+\.\d+", text)]


def _alts(markup: str, section: str) -> list[str]:
    """The alt texts of the images of one section."""
    part = markup.split(f'<section id="{section}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<img src="[^"]*" alt="([^"]*)"', part)


class _Tables(HTMLParser):
    """The tables of one section: rows of cell texts, per ``<article id>``."""

    def __init__(self, markup: str, section: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self._section, self._inside, self._article, self._cell = section, False, None, None
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._inside |= tag == "section" and a.get("id") == self._section
        if self._inside and tag == "article":
            self._article = a.get("id")
            self.tables[self._article] = []
        if self._inside and tag == "tr":
            self.tables[self._article].append([])
        if self._inside and tag in ("td", "th"):
            self.tables[self._article][-1].append("")
            self._cell = True

    def handle_endtag(self, tag):
        if tag == "section":
            self._inside = False
        if tag in ("td", "th"):
            self._cell = False

    def handle_data(self, data):
        if self._inside and self._cell:
            self.tables[self._article][-1][-1] += data


def test_alignment_studies_have_their_section(report, report_store):
    markup = report.read_text(encoding="utf-8")
    tables = _Tables(markup, "alignment").tables
    assert sorted(tables) == ["alignment-cka.linear", "alignment-twins"]
    with ResultsStore(report_store, create=False) as store:
        stored = store.results(kind="alignment")
    for metric in ("cka.linear",):
        header, *rows = tables[f"alignment-{metric}"]
        assert header[2] == "held-out score [CI]" and len(rows) == 3
        for row in rows:
            a, b = row[0].split(" ~ ")
            result = stored[(stored.model_id == a) & (stored.benchmark_id == b) & (stored.metric == metric)].iloc[0]
            assert _numbers(row[2]) == pytest.approx([result.value, result.interval_low, result.interval_high],
                                                     abs=5e-4)
            assert row[1] == result.layer.replace("|", " | ") and row[5] == "46"
            assert "(10 permutations)" in row[4]
    header, *twins = tables["alignment-twins"]
    assert [(row[0], row[1], row[5]) for row in twins] == [("cka.linear", f"{ALIGNED[0]} ~ {ALIGNED[2]}",
                                                             ALIGNED[2])]
    trained = stored[(stored.model_id == ALIGNED[0]) & (stored.benchmark_id == ALIGNED[2])].value.iloc[0]
    twin = stored[(stored.model_id == ALIGNED[1]) & (stored.benchmark_id == ALIGNED[2])].value.iloc[0]
    assert float(twins[0][4]) == pytest.approx(trained - twin, abs=5e-4)
    alts = _alts(markup, "alignment")
    # held-out scores, the 3 x 3 source matrix, 3 layer x layer matrices; the twins (no agreement: one metric)
    assert len(alts) == 5 + 1
    assert sum("permutation null" in a for a in alts) == 1 and sum("random-initialised twin" in a for a in alts) == 1
    assert sum("outlined committed pair" in a for a in alts) == 3
    assert "Not drawn:" not in markup  # with 3 sources and one metric, every figure is meaningful
    assert 'href="#alignment"' in markup  # listed in the contents


def test_a_registered_section_builder_adds_an_escaped_section(tmp_path):
    from neuroalign.report.html.sections import Block, Section, Table, register_section, unregister_section

    report_store = tmp_path / "one.sqlite"
    with ResultsStore(report_store) as store:
        store.put(Score(0.2, "spearman", ceiling=0.5, interval=(0.1, 0.3)), model_id="m", benchmark_id="b",
                  benchmark_version="1")

    def maps(store):
        n = len(store.results(kind="score"))
        return Section("encoding-maps", "Encoding <maps>", intro=[f"{n} scores <b>seen</b>"],
                       blocks=[Block("encoding-one", "one", table=Table(["a<"], [["<i>x</i>"]]))])

    register_section(maps)
    try:
        page = build_report(report_store, tmp_path / "extra.html").read_text(encoding="utf-8")
    finally:
        unregister_section(maps)
    assert '<section id="encoding-maps" class="extra">' in page and 'href="#encoding-maps"' in page
    assert "Encoding &lt;maps&gt;" in page and "&lt;b&gt;seen&lt;/b&gt;" in page and "&lt;i&gt;x&lt;/i&gt;" in page
    assert page.index('id="benchmark-b"') < page.index('id="encoding-maps"') < page.index('id="references"')
    assert "encoding-maps" not in build_report(report_store, tmp_path / "plain.html").read_text(encoding="utf-8")
