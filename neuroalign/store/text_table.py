"""A leaderboard as plain text for a terminal (pandas is not imported: ``neuroalign leaderboard`` stays light)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from neuroalign.store.board import MEAN, Board, Cell, column_scale, coverage, missing

if TYPE_CHECKING:
    import pandas as pd

_ABOVE = "*"
_RAW = "^"
_PARTIAL = "n/N"
_FOOTNOTES = {
    _ABOVE: "* above the noise ceiling (normalised score > 1): too few subjects, a biased estimator or overfitting",
    _RAW: "^ raw score: no positive noise ceiling to normalise by (never averaged with normalised scores)",
    _PARTIAL: "n/N scored on n of the benchmark's N stimuli (the benchmark allows missing stimuli)",
}
_MEAN_NOTE = f"{MEAN}: the mean of a model's ceiling-normalised scores only; raw scores are left out"


def format_leaderboard(table: "Board | pd.DataFrame") -> str:
    """Render :meth:`ResultsStore.leaderboard` as an aligned text table.

    Parameters
    ----------
    table : Board or DataFrame
        A leaderboard: a :class:`~neuroalign.store.board.Board` (:meth:`ResultsStore.board`), or the DataFrame of
        :meth:`ResultsStore.leaderboard` (index model ids, columns ``(benchmark, field)``), possibly a subset of its
        rows.

    Returns
    -------
    str
        A header row, a row naming each column's scale (``normalised`` or ``raw``), a rule, one line per model.
        Cells read ``"0.61 [0.52, 0.70]"`` (score and interval, two decimals), ``-`` where a model has no result;
        a ``*`` after a score marks one above its noise ceiling, a ``^`` a raw score in a column that also holds
        normalised ones, and ``91/92`` a score on part of the benchmark's stimuli, each explained in a footnote.
        The last column is the mean of the normalised scores only.
    """
    if not isinstance(table, Board):
        from neuroalign.store.leaderboard import board_from_table

        table = board_from_table(table)
    if not table.rows:
        return "no results"
    benchmarks = list(table.benchmarks)
    header = ["model", *benchmarks, MEAN]
    scales = ["", *(column_scale(table, b) for b in benchmarks), ""]
    lines, used = [], set()
    for row in table.rows:
        cells = [row.model_id]
        for benchmark in benchmarks:
            cell, marks = _cell(row.cells.get(benchmark))
            cells.append(cell)
            used |= marks
        cells.append(_number(row.mean))
        lines.append(cells)
    widths = [max(len(r[i]) for r in [header, scales, *lines]) for i in range(len(header))]

    def render(cells: list[str]) -> str:
        # model ids read left to right; numbers line up on the right
        return "  ".join([cells[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:])])

    out = [render(header), render(scales), "  ".join("-" * w for w in widths), *(render(r) for r in lines)]
    notes = [_FOOTNOTES[m] for m in (_ABOVE, _RAW, _PARTIAL) if m in used] + [_MEAN_NOTE]
    return "\n".join(out + [""] + notes)


def _cell(cell: Cell | None) -> tuple[str, set[str]]:
    if cell is None or missing(cell.score):
        return "-", set()
    marks = set()
    if cell.exceeds_ceiling:
        marks.add(_ABOVE)
    if not cell.normalized:
        marks.add(_RAW)
    text = f"{cell.score:.2f}" + "".join(m for m in (_ABOVE, _RAW) if m in marks)
    if not missing(cell.low) and not missing(cell.high):
        text += f" [{cell.low:.2f}, {cell.high:.2f}]"
    partial = coverage(cell)
    if partial is not None:
        marks.add(_PARTIAL)
        text += f" {partial}"
    return text, marks


def _number(value: float) -> str:
    return "-" if missing(value) else f"{value:.2f}"
