"""The leaderboard: one row per model, one column group per benchmark, best mean normalised score first.

A cell holds the ceiling-normalised score where the benchmark has a positive ceiling and the raw score where it
has none; the two are on different scales, so each cell says which it is (``normalized``) and the mean over
benchmarks averages the normalised scores only: a raw score is never averaged with normalised ones.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The fields of each benchmark's column group.
FIELDS = ("score", "low", "high", "normalized", "exceeds_ceiling", "n_scored", "n_stimuli")

_FLAGS = ("normalized", "exceeds_ceiling")
_COUNTS = ("n_scored", "n_stimuli")

#: The label of the column group with the mean of the normalised scores over benchmarks.
MEAN = "mean normalised"


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
    chosen = results[results["kind"] == kind]
    # the most recent per model x benchmark x version: created_at, then id for results written in one instant
    latest = chosen.sort_values(["created_at", "id"]).groupby(
        ["model_id", "benchmark_id", "benchmark_version"], sort=False).tail(1)
    normalized = latest["normalized"].notna().to_numpy()
    ceiling = np.where(normalized, latest["ceiling"].to_numpy(dtype=float), 1.0)
    cells = pd.DataFrame({
        "model_id": latest["model_id"].to_numpy(),
        "benchmark": (latest["benchmark_id"] + "@" + latest["benchmark_version"]).to_numpy(),
        "score": np.where(normalized, latest["normalized"].to_numpy(dtype=float), latest["value"].to_numpy()),
        "low": latest["interval_low"].to_numpy(dtype=float) / ceiling,
        "high": latest["interval_high"].to_numpy(dtype=float) / ceiling,
        "normalized": normalized,
        "exceeds_ceiling": latest["exceeds_ceiling"].to_numpy(dtype=bool),
        **{c: latest[c].to_numpy(dtype=float, na_value=np.nan) for c in _COUNTS},
    })
    benchmarks = sorted(cells["benchmark"].unique())
    columns = pd.MultiIndex.from_tuples([(b, f) for b in benchmarks for f in FIELDS] + [(MEAN, "score"), (MEAN, "n")],
                                        names=["benchmark", "field"])
    if cells.empty:
        return pd.DataFrame(index=pd.Index([], name="model_id", dtype=object), columns=columns)
    # one pivot per field keeps each field's dtype (floats stay float, flags and counts become nullable)
    parts = {f: cells.pivot(index="model_id", columns="benchmark", values=f) for f in FIELDS}
    dtypes = {**{f: "float64" for f in FIELDS}, **{f: "boolean" for f in _FLAGS}, **{f: "Int64" for f in _COUNTS}}
    parts = {f: part.astype(dtypes[f]) for f, part in parts.items()}
    wide = pd.concat(parts, axis=1).swaplevel(axis=1)
    normalised_scores = parts["score"].where(parts["normalized"].fillna(False).astype(bool))
    wide[(MEAN, "score")] = normalised_scores.mean(axis=1, skipna=True)
    wide[(MEAN, "n")] = normalised_scores.notna().sum(axis=1)
    wide = wide.reindex(columns=columns)
    mean = wide[(MEAN, "score")]
    order = sorted(wide.index, key=lambda m: (bool(np.isnan(mean[m])), -np.nan_to_num(mean[m]), m))
    return wide.loc[order]


def benchmark_labels(board: pd.DataFrame) -> list[str]:
    """The ``<benchmark_id>@<version>`` column groups of a leaderboard, without the mean."""
    return [label for label in board.columns.get_level_values(0).unique() if label != MEAN]


def column_scale(board: pd.DataFrame, label: str) -> str:
    """What a benchmark column's scores are: ``"normalised"``, ``"raw"``, or ``"normalised, ^ raw"`` when mixed.

    A benchmark's ceiling on the scored stimuli can be missing or non-positive for one model and positive for
    another, so a column may hold both kinds; its raw cells are then marked ``^``.
    """
    flags = board[(label, "normalized")].dropna().astype(bool)
    kinds = set(flags.tolist())
    if kinds == {False}:
        return "raw"
    return "normalised, ^ raw" if kinds == {True, False} else "normalised"


def coverage(group: pd.Series) -> str | None:
    """``"91/92"`` for a cell scored on some of its benchmark's stimuli; ``None`` for all of them, or unknown."""
    scored, total = group.get("n_scored"), group.get("n_stimuli")
    if scored is None or total is None or pd.isna(scored) or pd.isna(total) or scored == total:
        return None
    return f"{int(scored)}/{int(total)}"
