"""``build_report(store, path)``: one self-contained HTML page of a results store.

The page loads nothing: figures are inline PNGs (``data:`` URIs), the stylesheet is inline, there is no script.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from neuroalign import __version__
from neuroalign.report.html.benchmark_section import benchmark_section
from neuroalign.report.html.errors import EmptyStoreError
from neuroalign.report.html.figures import score_matrix_figures
from neuroalign.report.html.leaderboard import leaderboard_html
from neuroalign.report.html.markup import element, section_id, text
from neuroalign.report.html.references import references_section, resolve
from neuroalign.report.html.style import CSS
from neuroalign.store import ResultsStore, leaderboard_table
from neuroalign.utils.atomic import atomic_path

if TYPE_CHECKING:
    import pandas as pd


#: The kind of stored result the report shows (see ``docs/results_store.md``).
KIND = "score"
DEFAULT_TITLE = "neuroalign report"


def _open(store: "ResultsStore | str | os.PathLike[str]", stack: ExitStack) -> "ResultsStore":
    if isinstance(store, ResultsStore):
        return store
    # create=False: a mistyped path is an error, not a new empty store
    return stack.enter_context(ResultsStore(store, create=False))


def _selected(results: "pd.DataFrame", benchmarks: Iterable[str] | None) -> tuple["pd.DataFrame", list[str]]:
    """The rows to report and the benchmark ids, in section order (sorted, or as asked)."""
    if benchmarks is None:
        return results, sorted(results["benchmark_id"].unique())
    wanted = list(dict.fromkeys(benchmarks))
    return results[results["benchmark_id"].isin(wanted)], wanted


def _header(title: str, n_scores: int, n_models: int, n_benchmarks: int) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    summary = (f"Generated {when} by neuroalign {__version__}: {n_scores} stored scores of {n_models} models on "
               f"{n_benchmarks} benchmarks.")
    return element("header", text("h1", title) + text("p", summary, class_="generated"))


def _contents(benchmark_ids: list[str]) -> str:
    links = [element("li", element("a", "Leaderboard", href="#leaderboard-section"))]
    links += [element("li", element("a", text("code", b), href="#" + section_id(b))) for b in benchmark_ids]
    links.append(element("li", element("a", "References", href="#references")))
    return element("nav", text("h2", "Contents") + element("ul", "".join(links)))


def render_report(store: "ResultsStore", *, title: str | None = None,
                  benchmarks: Iterable[str] | None = None) -> str:
    """The report's HTML text (see :func:`build_report`)."""
    results, benchmark_ids = _selected(store.results(kind=KIND), benchmarks)
    if results.empty:
        asked = "" if benchmarks is None else f" of the benchmarks {benchmark_ids}"
        raise EmptyStoreError(f"the results store holds no {KIND!r} results{asked}; nothing to report. Score models "
                              "first (neuroalign run, or neuroalign.run(..., store=...)).")
    board = leaderboard_table(results, kind=KIND)
    leaderboard = element("section", text("h2", "Leaderboard") + leaderboard_html(board) + score_matrix_figures(board),
                          id="leaderboard-section")
    entries = [resolve(b) for b in benchmark_ids]
    sections = []
    for entry in entries:
        rows = results[results["benchmark_id"] == entry.id].sort_values(["model_id", "benchmark_version", "id"])
        stored = [store.get(key) for key in rows["request_key"]]
        sections.append(benchmark_section(entry, [r for r in stored if r is not None]))
    shown = title or DEFAULT_TITLE
    body = (_header(shown, len(results), results["model_id"].nunique(), len(benchmark_ids))
            + _contents(benchmark_ids) + element("main", leaderboard + "".join(sections) + references_section(entries)))
    head = ('<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            + text("title", shown) + element("style", CSS))
    return "<!DOCTYPE html>\n" + element("html", element("head", head) + element("body", body), lang="en") + "\n"


def build_report(store: "ResultsStore | str | os.PathLike[str]", path: str | os.PathLike[str], *,
                 title: str | None = None, benchmarks: Iterable[str] | None = None) -> Path:
    """Write one self-contained HTML page of the scores in a results store.

    The page holds a header (title, date, neuroalign version), the leaderboard (one row per model, ceiling-
    normalised scores with intervals, ``*`` above the ceiling) and its heatmap, one section per benchmark
    (``id="benchmark-<id>"``: description, version, metric, ceiling method, a table of its stored scores, the
    figures each score's provenance allows and a collapsed provenance block per score) and the BibTeX references.
    Everything is inline (figures as base64 PNG ``data:`` URIs, CSS in ``<style>``); there is no script. All text
    is HTML-escaped.

    Parameters
    ----------
    store : ResultsStore or path-like
        The results store, or the path of an existing one.
    path : path-like
        The HTML file to write, atomically (a reader sees the old file or the complete new one).
    title : str, optional
        The page title (``"neuroalign report"`` by default).
    benchmarks : iterable of str, optional
        Report only these benchmark ids, in this order (all stored ones, sorted, by default).

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    EmptyStoreError
        When the store holds no score (of the benchmarks asked for); nothing is written.
    StoreNotFoundError
        For a store path where there is no store (a ``FileNotFoundError``).
    """
    with ExitStack() as stack:
        page = render_report(_open(store, stack), title=title, benchmarks=benchmarks)
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return target
