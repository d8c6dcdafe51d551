"""The leaderboard as an HTML table: one row per model, one column per benchmark, the mean of normalised scores last."""

from __future__ import annotations

from typing import TYPE_CHECKING

from neuroalign.report.html.markup import MISSING, element, esc, interval, is_missing, number, section_id, text
from neuroalign.store.leaderboard import MEAN, benchmark_labels, column_scale, coverage

if TYPE_CHECKING:
    import pandas as pd

#: Marks a score above its noise ceiling, a raw score (no positive ceiling), a score on part of the stimuli.
ABOVE, RAW, PARTIAL = "*", "^", "n/N"
FOOTNOTES = {
    ABOVE: "above the noise ceiling (normalised score > 1): too few subjects, a biased estimator or overfitting",
    RAW: "raw score: the benchmark has no positive noise ceiling to normalise by; never averaged with normalised "
         "scores",
    PARTIAL: "scored on n of the benchmark's N stimuli (the benchmark allows missing stimuli)",
}


def _flag(value: object) -> bool:
    return not is_missing(value) and bool(value)


def _cell(group: "pd.Series") -> tuple[str, set[str]]:
    """A score's cell markup and the marks it uses."""
    if is_missing(group["score"]):
        return esc(MISSING), set()
    marks = {m for m, on in ((ABOVE, _flag(group["exceeds_ceiling"])),
                             (RAW, not is_missing(group["normalized"]) and not _flag(group["normalized"]))) if on}
    cell = esc(number(group["score"], 2))
    cell += "".join(text("span", m, class_="mark", title=FOOTNOTES[m]) for m in (ABOVE, RAW) if m in marks)
    bounds = interval(group["low"], group["high"], 2)
    if bounds != MISSING:
        cell += " " + esc(bounds)
    partial = coverage(group)
    if partial is not None:
        marks.add(PARTIAL)
        cell += " " + text("span", partial, class_="mark", title=FOOTNOTES[PARTIAL])
    return cell, marks


def leaderboard_html(board: "pd.DataFrame") -> str:
    """``<table id="leaderboard">`` with its footnotes; each benchmark's header links to its section.

    Parameters
    ----------
    board : DataFrame
        A leaderboard (:func:`neuroalign.store.leaderboard_table`): index model ids, columns ``(benchmark, field)``.
    """
    labels = benchmark_labels(board)
    rows, used = [], set()
    for model, group in board.iterrows():
        cells = [text("th", model, scope="row")]
        for label in labels:
            cell, marks = _cell(group[label])
            cells.append(element("td", cell))
            used |= marks
        cells.append(text("td", number(group[(MEAN, "score")], 2)))
        rows.append(element("tr", "".join(cells)))
    headers = [element("th", "model", scope="col")]
    headers += [element("th", element("a", esc(label), href="#" + section_id(label.rsplit("@", 1)[0]))
                        + element("br") + text("span", column_scale(board, label), class_="scale"),
                        scope="col") for label in labels]
    headers.append(element("th", esc(MEAN), scope="col"))
    markup = element("table", element("thead", element("tr", "".join(headers))) + element("tbody", "".join(rows)),
                     id="leaderboard")
    notes = [text("li", f"{m} {FOOTNOTES[m]}") for m in (ABOVE, RAW, PARTIAL) if m in used]
    cells_note = text("p", "Each cell: the latest score of the model on the benchmark version, ceiling-normalised "
                           "where the benchmark has a positive ceiling (raw otherwise: each column says which), with "
                           f"its bootstrap interval on the same scale; - where not scored. {MEAN}: the mean of the "
                           "model's normalised scores only.", class_="note")
    return markup + cells_note + (element("ul", "".join(notes), class_="note") if notes else "")
