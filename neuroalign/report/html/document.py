"""``build_report(store, path)``: one self-contained HTML page of a results store.

The page is rendered from the jinja2 templates in ``templates/`` (autoescaping on) and loads nothing: figures are
inline PNGs (``data:`` URIs), the stylesheet and the small script that sorts and filters the leaderboard are inline.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from neuroalign import __version__
from neuroalign.report.html.benchmark_section import benchmark_view
from neuroalign.report.html.environment import render
from neuroalign.errors.applications import EmptyStoreError
from neuroalign.report.html.figures import score_figures, score_matrix_figures
from neuroalign.report.html.leaderboard import leaderboard_view
from neuroalign.report.html.markup import anchor, compact_json
from neuroalign.report.html.profiles import stored_profiles
from neuroalign.report.html.provenance import provenance_items
from neuroalign.report.html.references import resolve
from neuroalign.report.html.sections import extra_sections
from neuroalign.report.html.views import ScoreView
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


def _latest(results: "pd.DataFrame") -> "pd.DataFrame":
    """The most recent score per model x benchmark x version (as the leaderboard takes them)."""
    return results.sort_values(["created_at", "id"]).groupby(
        ["model_id", "benchmark_id", "benchmark_version"], sort=False).tail(1)


def _models(views: list[ScoreView]) -> list[dict]:
    """Per model (sorted): its anchor, fingerprint and scores."""
    by_model: dict[str, list[ScoreView]] = {}
    for view in views:
        by_model.setdefault(view.model, []).append(view)
    out = []
    for model, scores in sorted(by_model.items()):
        fingerprint = scores[0].result.provenance.get("model_fingerprint")
        out.append({"id": model, "anchor": anchor("model", model), "scores": scores,
                    "fingerprint": "-" if fingerprint is None else compact_json(fingerprint)})
    return out


def render_report(store: "ResultsStore", *, title: str | None = None,
                  benchmarks: Iterable[str] | None = None) -> str:
    """The report's HTML text (see :func:`build_report`)."""
    results, benchmark_ids = _selected(store.results(kind=KIND), benchmarks)
    if results.empty:
        asked = "" if benchmarks is None else f" of the benchmarks {benchmark_ids}"
        raise EmptyStoreError(f"the results store holds no {KIND!r} results{asked}; nothing to report. Score models "
                              "first (neuroalign run, or neuroalign.run(..., store=...)).")
    board = leaderboard_table(results, kind=KIND)
    profiles = stored_profiles(store, benchmark_ids)
    views = {}
    for key in results.sort_values(["benchmark_id", "model_id", "benchmark_version", "id"])["request_key"]:
        stored = store.get(key)
        if stored is not None:
            profile = profiles.get((stored.model_id, stored.benchmark_id, stored.benchmark_version))
            views[stored.id] = ScoreView(stored, score_figures(stored, profile), provenance_items(stored))
    latest = {(v.model, f"{v.result.benchmark_id}@{v.result.benchmark_version}"): v
              for v in (views[i] for i in _latest(results)["id"] if i in views)}
    sections = [benchmark_view(resolve(b), [v for v in views.values() if v.result.benchmark_id == b])
                for b in benchmark_ids]
    return render("report.html.j2", title=title or DEFAULT_TITLE, version=__version__,
                  generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), n_scores=len(results),
                  n_models=results["model_id"].nunique(), board=leaderboard_view(board, latest),
                  matrix_figures=score_matrix_figures(board), models=_models(list(views.values())),
                  benchmarks=sections, sections=extra_sections(store))


def build_report(store: "ResultsStore | str | os.PathLike[str]", path: str | os.PathLike[str], *,
                 title: str | None = None, benchmarks: Iterable[str] | None = None) -> Path:
    """Write one self-contained HTML page of the scores in a results store.

    The page holds a header (title, date, neuroalign version), the leaderboard (one row per model; per benchmark
    the raw and the ceiling-normalised score, each with its interval, and the stimuli and subjects it used;
    sortable and filterable) and the models x benchmarks matrix on fixed colour scales, the models, one section
    per benchmark (``id="benchmark-<id>"``: description, version, metric, ceiling method, citation, a table of its
    stored scores, per score its stored layer profile, per-subject values, model and brain RDMs and the figures
    its provenance allows, and a collapsed provenance block), the alignment studies and any registered section
    (:func:`~neuroalign.report.html.sections.register_section`), and the BibTeX references. Everything is inline
    (figures as base64 PNG ``data:`` URIs, CSS in ``<style>``, one small ``<script>``); all text is HTML-escaped
    (jinja2 autoescaping). See ``docs/report.md``.

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
