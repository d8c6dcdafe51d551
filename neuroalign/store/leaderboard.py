"""The leaderboard as a DataFrame: one row per model, one column group per benchmark, best mean normalised score
first. The numbers and their order come from :func:`neuroalign.store.board.build_board` (which the terminal's
``neuroalign leaderboard`` prints without pandas); this module only lays them out as a table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from neuroalign.store.board import FIELDS, MEAN, Board, BoardRow, Cell, build_board, coverage, scale_of

__all__ = ["FIELDS", "MEAN", "benchmark_labels", "board_from_table", "column_scale", "coverage", "leaderboard_table",
           "table_from_board"]

_FLAGS = ("normalized", "exceeds_ceiling")
_COUNTS = ("n_scored", "n_stimuli")
_DTYPES = {**{f: "float64" for f in FIELDS}, **{f: "boolean" for f in _FLAGS}, **{f: "Int64" for f in _COUNTS}}


def leaderboard_table(results: pd.DataFrame, kind: str = "score") -> pd.DataFrame:
    """Tabulate the latest result of each model x benchmark x version of one kind.

    Parameters
    ----------
    results : DataFrame
        As returned by :meth:`ResultsStore.results`.
    kind : str
        Which kind of result to rank.

    Returns
    -------
    DataFrame
        Index ``model_id``; columns a MultiIndex ``(benchmark, field)`` with benchmark labels
        ``"<benchmark_id>@<version>"`` in sorted order, then ``(MEAN, "score")`` and ``(MEAN, "n")``. Fields:
        ``score`` (the ceiling-normalised score, or the raw value where there is no positive ceiling), ``low`` and
        ``high`` (its interval on the same scale), ``normalized`` (whether ``score`` was divided by a ceiling),
        ``exceeds_ceiling``, and ``n_scored`` of ``n_stimuli`` (the stimuli the score was computed on; missing
        where the store does not say). ``(MEAN, "score")`` is the mean of the *normalised* scores only, over the
        ``(MEAN, "n")`` benchmarks that have one (NaN for a model with raw scores only). Rows are sorted by it,
        highest first, ties by model id; models without a normalised score come last.
    """
    return table_from_board(build_board(results.to_dict("records"), kind))


def table_from_board(board: Board) -> pd.DataFrame:
    """The DataFrame of :func:`leaderboard_table` for a :class:`~neuroalign.store.board.Board`."""
    columns = pd.MultiIndex.from_tuples([(b, f) for b in board.benchmarks for f in FIELDS]
                                        + [(MEAN, "score"), (MEAN, "n")], names=["benchmark", "field"])
    index = pd.Index([row.model_id for row in board.rows], name="model_id", dtype=object)
    if not board.rows:
        return pd.DataFrame(index=index, columns=columns)
    data = {}
    for label in board.benchmarks:
        for f in FIELDS:
            values = [getattr(row.cells[label], f) if label in row.cells else None for row in board.rows]
            if _DTYPES[f] == "float64":
                values = [np.nan if v is None else v for v in values]
            data[(label, f)] = pd.array(values, dtype=_DTYPES[f])
    data[(MEAN, "score")] = np.array([row.mean for row in board.rows], dtype=np.float64)
    data[(MEAN, "n")] = np.array([row.n for row in board.rows], dtype=np.int64)
    return pd.DataFrame(data, index=index, columns=columns)


def board_from_table(table: pd.DataFrame) -> Board:
    """The :class:`~neuroalign.store.board.Board` of a leaderboard DataFrame (possibly a subset of its rows)."""
    labels = benchmark_labels(table)
    rows = []
    for model, row in table.iterrows():
        cells = {}
        for label in labels:
            group = row[label]
            if pd.isna(group["score"]) and pd.isna(group["normalized"]):
                continue  # no result of this model on this benchmark
            cells[label] = Cell(*(_plain(group[f], f) for f in FIELDS))
        mean = row[(MEAN, "score")]
        rows.append(BoardRow(str(model), cells, float(mean), int(row[(MEAN, "n")])))
    return Board(tuple(labels), tuple(rows))


def _plain(value: object, field: str) -> object:
    if field in _COUNTS:
        return None if pd.isna(value) else int(value)
    if field in _FLAGS:
        return False if pd.isna(value) else bool(value)
    return float(value)


def benchmark_labels(board: pd.DataFrame) -> list[str]:
    """The ``<benchmark_id>@<version>`` column groups of a leaderboard, without the mean."""
    return [label for label in board.columns.get_level_values(0).unique() if label != MEAN]


def column_scale(board: pd.DataFrame, label: str) -> str:
    """What a benchmark column's scores are: ``"normalised"``, ``"raw"``, or ``"normalised, ^ raw"`` when mixed
    (see :func:`neuroalign.store.board.column_scale`)."""
    return scale_of(board[(label, "normalized")].dropna().astype(bool).tolist())
