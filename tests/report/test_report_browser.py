"""The report in headless Chromium: it renders without console errors, its leaderboard sorts and filters, and a
screenshot shows figures (not blank boxes)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import Browser, chromium, console, needs_browser  # noqa: E402
from report_helpers import EEG_MODEL, FIRST_PARTY, IMAGE_MODELS  # noqa: E402

pytestmark = [pytest.mark.realdata, needs_browser]

#: The body cells of each leaderboard row as the browser sees them: model id, then each cell's data-value.
ROWS = """Array.from(document.querySelectorAll('#leaderboard tbody tr')).map(function (r) {
  return [r.getAttribute('data-model'), r.hidden].concat(Array.from(r.cells).map(function (c) {
    return c.getAttribute('data-value'); })); })"""


def _click(browser: Browser, selector: str, k: int = 0) -> None:
    browser.evaluate(f"document.querySelectorAll({selector!r})[{k}].click()")


def test_the_console_check_catches_a_script_error(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><html><body><p>x</p><script>throw new Error("x")</script></body></html>')
    errors = console(chromium(tmp_path / "profile", broken, "--dump-dom").stderr)
    assert errors and "Uncaught Error: x" in errors[0]


def test_chromium_renders_the_report_without_console_messages(tmp_path, report):
    dumped = chromium(tmp_path / "profile", report, "--dump-dom")
    assert console(dumped.stderr) == []
    assert all(f'id="benchmark-{b}"' in dumped.stdout for b in FIRST_PARTY)
    assert dumped.stdout.count("<tr data-model=") == len(IMAGE_MODELS) + 1


@pytest.fixture(scope="module")
def browser(tmp_path_factory, report):
    with Browser(tmp_path_factory.mktemp("chromium")) as opened:
        opened.open(report)
        yield opened


def test_the_leaderboard_sorts_by_any_column(browser):
    before = browser.evaluate(ROWS)
    assert [row[2] for row in before] == ["1", "2", "3", "4"]  # ranked: best mean normalised first
    means = [float(row[-1]) for row in before if row[-1]]
    assert means == sorted(means, reverse=True) and before[-1][0] == EEG_MODEL  # no normalised score: last
    _click(browser, "#leaderboard th[data-sort]", 1)  # model: text, ascending first
    assert [row[0] for row in browser.evaluate(ROWS)] == sorted([*IMAGE_MODELS, EEG_MODEL], key=str.lower)
    assert browser.evaluate("document.querySelectorAll('#leaderboard th[data-sort]')[1]"
                            ".getAttribute('aria-sort')") == "ascending"
    first_raw = "#leaderboard thead tr:nth-child(2) th.raw"  # the raw scores of the first benchmark (Haxby)
    for order in ("descending", "ascending"):  # numbers: descending first, then ascending; unscored last
        _click(browser, first_raw, 0)
        rows = browser.evaluate(ROWS)
        values = [float(row[2 + 2]) for row in rows if row[2 + 2]]
        assert values == sorted(values, reverse=order == "descending") and len(values) == 3
        assert rows[-1][0] == EEG_MODEL and rows[-1][4] == ""
        assert browser.evaluate(f"document.querySelector({first_raw!r}).getAttribute('aria-sort')") == order


def test_the_leaderboard_filters_models(browser):
    browser.evaluate("var f = document.getElementById('leaderboard-filter'); f.value = 'GAM';"
                     "f.dispatchEvent(new Event('input'))")
    shown = [row[0] for row in browser.evaluate(ROWS) if not row[1]]
    assert shown == ["gamma"]
    assert browser.evaluate("document.getElementById('leaderboard-count').textContent") == "1 of 4 models"
    browser.evaluate("var f = document.getElementById('leaderboard-filter'); f.value = '';"
                     "f.dispatchEvent(new Event('input'))")
    assert not any(row[1] for row in browser.evaluate(ROWS))


#: Per figure: whether its image decoded, its size, its axes summary, and statistics of its pixels drawn on a canvas
#: (the standard deviation of the luminance and the number of distinct colours among every 7th pixel).
FIGURES = """Array.from(document.querySelectorAll('figure')).map(function (f) {
  var img = f.querySelector('img'), canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  var context = canvas.getContext('2d'); context.drawImage(img, 0, 0);
  var data = context.getImageData(0, 0, canvas.width, canvas.height).data, n = 0, sum = 0, squares = 0, seen = {};
  for (var k = 0; k < data.length; k += 28) {
    var y = 0.2126 * data[k] + 0.7152 * data[k + 1] + 0.0722 * data[k + 2];
    n += 1; sum += y; squares += y * y; seen[data[k] + ',' + data[k + 1] + ',' + data[k + 2]] = 1;
  }
  var mean = sum / n;
  return {complete: img.complete, width: img.naturalWidth, axes: JSON.parse(f.getAttribute('data-axes')),
          std: Math.sqrt(squares / n - mean * mean), colours: Object.keys(seen).length,
          caption: f.querySelector('figcaption').textContent}; })"""

#: Every scored leaderboard cell pair: the raw cell's text and the normalised cell's text.
SCORED = """Array.from(document.querySelectorAll('#leaderboard tbody td.raw:not(.unscored)')).map(function (c) {
  return [c.textContent, c.nextElementSibling.textContent]; })"""


def test_each_score_shows_raw_and_normalised_with_intervals(browser):
    cells = browser.evaluate(SCORED)
    assert len(cells) == 3 * 3 + 1 + 1  # 3 models x 3 benchmarks, the retired score, the EEG score
    number, bounds = r"-?\d\.\d{3}", r"\[-?\d\.\d{3}, -?\d\.\d{3}\]"
    for raw, normalised in cells:
        assert re.search(f"{number} {bounds}", raw) and re.search(r"(\d+|-) stimuli · (\d+|-) subjects?", raw)
        assert re.search(f"{number} {bounds}", normalised) or "no ceiling" in normalised


def test_the_figures_are_drawn_labelled_and_on_scales_that_do_not_collapse(browser, tmp_path):
    figures = browser.evaluate(FIGURES)
    assert len(figures) > 20 and all(f["complete"] and f["width"] > 100 for f in figures)
    for figure in figures:
        drawn = [a for a in figure["axes"] if "xlabel" in a]
        assert drawn and all(a["xlabel"] and a["ylabel"] for a in drawn), figure["caption"]
        assert all(a["vmax"] - a["vmin"] >= 0.1 for a in figure["axes"] if "colorbar" in a), figure["caption"]
        assert figure["std"] > 15 and figure["colours"] > 20, figure["caption"]  # drawn, not a blank box
    # the screenshot of the leaderboard and its matrix: the figure region holds the drawn matrix
    browser.evaluate("document.getElementById('leaderboard-section').scrollIntoView()")
    shot = browser.screenshot(tmp_path / "shot.png")
    box = browser.evaluate("""(function () { var r = document.querySelector('#leaderboard-section figure img')
      .getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })()""")
    with Image.open(shot) as image:
        assert image.size == (1280, 2000)
        pixels = np.asarray(image.convert("RGB").crop(tuple(int(round(v)) for v in box)), dtype=float)
    assert pixels.size and pixels.std() > 20
    assert len({tuple(p) for p in pixels.reshape(-1, 3)[::7]}) > 50
