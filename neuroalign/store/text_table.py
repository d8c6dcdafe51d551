"""A leaderboard as plain text for a terminal."""

from __future__ import annotations

import math

import pandas as pd

from neuroalign.store.leaderboard import MEAN, benchmark_labels, column_scale, coverage

_ABOVE = "*"
_RAW = "^"
_PARTIAL = "n/N"
_FOOTNOTES = {
    _ABOVE: "* above the noise ceiling (normalised score > 1): too few subjects, a biased estimator or overfitting",
    _RAW: "^ raw score: no positive noise ceiling to normalise by (never averaged with normalised scores)",
    _PARTIAL: "n/N scored on n of the benchmark's N stimuli (the benchmark allows missing stimuli)",
}
_MEAN_NOTE = f"{MEAN}: the mean of a model's ceiling-normalised scores only; raw scores are left out"


def format_leaderboard(table: pd.DataFrame) -> str:
    """Render :meth:`ResultsStore.leaderboard` as an aligned text table.

    Parameters
    ----------
    table : DataFrame
        A leaderboard (index model ids, columns ``(benchmark, field)``).

    Returns
    -------
    str
        A header row, a row naming each column's scale (``normalised`` or ``raw``), a rule, one line per model.
        Cells read ``"0.61 [0.52, 0.70]"`` (score and interval, two decimals), ``-`` where a model has no result;
        a ``*`` after a score marks one above its noise ceiling, a ``^`` a raw score in a column that also holds
        normalised ones, and ``91/92`` a score on part of the benchmark's stimuli, each explained in a footnote.
        The last column is the mean of the normalised scores only.
    """
    if table.empty:
        return "no results"
    benchmarks = benchmark_labels(table)
    header = ["model", *benchmarks, MEAN]
    scales = ["", *(column_scale(table, b) for b in benchmarks), ""]
    lines, used = [], set()
    for model, row in table.iterrows():
        cells = [str(model)]
        for benchmark in benchmarks:
            cell, marks = _cell(row[benchmark])
            cells.append(cell)
            used |= marks
        cells.append(_number(row[(MEAN, "score")]))
        lines.append(cells)
    widths = [max(len(r[i]) for r in [header, scales, *lines]) for i in range(len(header))]

    def render(cells: list[str]) -> str:
        # model ids read left to right; numbers line up on the right
        return "  ".join([cells[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:])])

    out = [render(header), render(scales), "  ".join("-" * w for w in widths), *(render(r) for r in lines)]
    notes = [_FOOTNOTES[m] for m in (_ABOVE, _RAW, _PARTIAL) if m in used] + [_MEAN_NOTE]
    return "\n".join(out + [""] + notes)


def _cell(group: pd.Series) -> tuple[str, set[str]]:
    score = group["score"]
    if _missing(score):
        return "-", set()
    marks = set()
    text = f"{float(score):.2f}"
    if _flag(group["exceeds_ceiling"]):
        marks.add(_ABOVE)
    if not _missing(group["normalized"]) and not _flag(group["normalized"]):
        marks.add(_RAW)
    text += "".join(m for m in (_ABOVE, _RAW) if m in marks)
    if not _missing(group["low"]) and not _missing(group["high"]):
        text += f" [{float(group['low']):.2f}, {float(group['high']):.2f}]"
    partial = coverage(group)
    if partial is not None:
        marks.add(_PARTIAL)
        text += f" {partial}"
    return text, marks


def _number(value: object) -> str:
    return "-" if _missing(value) else f"{float(value):.2f}"


def _flag(value: object) -> bool:
    return not _missing(value) and bool(value)  # pivoted bools may be numpy bools, or NaN where a cell is empty


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA
