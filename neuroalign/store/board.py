"""The leaderboard's numbers in plain Python: the latest result of each model x benchmark, normalised where it can be.

``neuroalign leaderboard`` prints the board without importing pandas (an answer the user waits for at the
terminal); :func:`~neuroalign.store.leaderboard_table` builds its DataFrame from the same :class:`Board`, so the
rules (which result is the latest, what is normalised, what the mean averages, the order of the models) live here
only.

A cell holds the ceiling-normalised score where the benchmark has a positive ceiling and the raw score where it
has none; the two are on different scales, so each cell says which it is (``normalized``) and the mean over
benchmarks averages the normalised scores only: a raw score is never averaged with normalised ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

#: The fields of each benchmark's column group.
FIELDS = ("score", "low", "high", "normalized", "exceeds_ceiling", "n_scored", "n_stimuli")

#: The label of the column group with the mean of the normalised scores over benchmarks.
MEAN = "mean normalised"


@dataclass(frozen=True)
class Cell:
    """One model's latest result on one benchmark (see :func:`~neuroalign.store.leaderboard_table` for the fields).

    Missing numbers are NaN; ``n_scored`` and ``n_stimuli`` are ``None`` where the store does not say.
    """

    score: float
    low: float
    high: float
    normalized: bool
    exceeds_ceiling: bool
    n_scored: int | None
    n_stimuli: int | None

    def get(self, name: str, default: Any = None) -> Any:
        """The field ``name`` (the mapping access :func:`coverage` uses on a cell or a DataFrame row group)."""
        return getattr(self, name, default)


@dataclass(frozen=True)
class BoardRow:
    """One model: its cells by benchmark label, the mean of its normalised scores (NaN: none) and their count."""

    model_id: str
    cells: Mapping[str, Cell]
    mean: float
    n: int


@dataclass(frozen=True)
class Board:
    """The leaderboard: benchmark labels (``"<benchmark_id>@<version>"``, sorted) and the rows, best mean first."""

    benchmarks: tuple[str, ...]
    rows: tuple[BoardRow, ...]


def missing(value: object) -> bool:
    """Whether a stored or tabulated value is missing: ``None``, NaN or pandas' ``NA``."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except TypeError:  # pandas.NA refuses float(); nothing else the store holds does
        return True


def _number(value: object) -> float:
    return math.nan if missing(value) else float(value)  # type: ignore[arg-type]


def _count(value: object) -> int | None:
    return None if missing(value) else int(value)  # type: ignore[call-overload]


def _cell(row: Mapping[str, Any]) -> Cell:
    normalized = not missing(row["normalized"])
    ceiling = _number(row["ceiling"]) if normalized else 1.0
    return Cell(score=_number(row["normalized"] if normalized else row["value"]),
                low=_number(row["interval_low"]) / ceiling, high=_number(row["interval_high"]) / ceiling,
                normalized=normalized, exceeds_ceiling=bool(row["exceeds_ceiling"]),
                n_scored=_count(row["n_scored"]), n_stimuli=_count(row["n_stimuli"]))


def build_board(results: Iterable[Mapping[str, Any]], kind: str = "score") -> Board:
    """Tabulate the latest result of each model x benchmark x version of one kind.

    Parameters
    ----------
    results : iterable of mapping
        Rows of the ``results`` table (``sqlite3.Row`` objects, or the records of
        :meth:`~neuroalign.store.ResultsStore.results`).
    kind : str
        Which kind of result to rank.

    Returns
    -------
    Board
        Rows sorted by the mean of the normalised scores, highest first, ties by model id; models without a
        normalised score come last.
    """
    latest: dict[tuple[str, str, str], Mapping[str, Any]] = {}
    for row in results:
        if row["kind"] != kind:
            continue
        key = (row["model_id"], row["benchmark_id"], row["benchmark_version"])
        # the most recent: created_at (ISO UTC text), then id for results written in one instant
        if key not in latest or (row["created_at"], row["id"]) >= (latest[key]["created_at"], latest[key]["id"]):
            latest[key] = row
    cells: dict[str, dict[str, Cell]] = {}
    for (model, benchmark, version), row in latest.items():
        cells.setdefault(model, {})[f"{benchmark}@{version}"] = _cell(row)
    rows = []
    for model, by_label in cells.items():
        by_label = dict(sorted(by_label.items()))
        scores = [c.score for c in by_label.values() if c.normalized and not math.isnan(c.score)]
        rows.append(BoardRow(model, by_label, sum(scores) / len(scores) if scores else math.nan, len(scores)))
    rows.sort(key=lambda r: (math.isnan(r.mean), -(0.0 if math.isnan(r.mean) else r.mean), r.model_id))
    return Board(tuple(sorted({label for r in rows for label in r.cells})), tuple(rows))


def column_scale(board: Board, label: str) -> str:
    """What a benchmark column's scores are: ``"normalised"``, ``"raw"``, or ``"normalised, ^ raw"`` when mixed.

    A benchmark's ceiling on the scored stimuli can be missing or non-positive for one model and positive for
    another, so a column may hold both kinds; its raw cells are then marked ``^``.
    """
    return scale_of(row.cells[label].normalized for row in board.rows if label in row.cells)


def scale_of(flags: Iterable[bool]) -> str:
    """The scale of a column whose cells have these ``normalized`` flags (see :func:`column_scale`)."""
    kinds = {bool(flag) for flag in flags}
    if kinds == {False}:
        return "raw"
    return "normalised, ^ raw" if kinds == {True, False} else "normalised"


def coverage(group: Any) -> str | None:
    """``"91/92"`` for a cell scored on some of its benchmark's stimuli; ``None`` for all of them, or unknown.

    ``group`` is a :class:`Cell` or one benchmark's fields of a leaderboard DataFrame row.
    """
    scored, total = group.get("n_scored"), group.get("n_stimuli")
    if missing(scored) or missing(total) or scored == total:
        return None
    return f"{int(scored)}/{int(total)}"
