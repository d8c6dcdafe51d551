"""The leaderboard: one row per model, one column group per benchmark, best mean normalised score first."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The fields of each benchmark's column group.
FIELDS = ("score", "low", "high", "normalized", "exceeds_ceiling")

_FLAGS = ("normalized", "exceeds_ceiling")

#: The label of the column group with the mean over benchmarks.
MEAN = "mean"


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
        ``"<benchmark_id>@<version>"`` in sorted order, then ``("mean", "score")``. Fields: ``score`` (the
        ceiling-normalised score, or the raw value where there is no positive ceiling), ``low`` and ``high`` (its
        interval on the same scale), ``normalized`` (whether ``score`` was divided by a ceiling) and
        ``exceeds_ceiling``. Rows are sorted by the mean of ``score`` over benchmarks (missing ones skipped),
        highest first, ties by model id; models with no finite score come last.
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
    })
    benchmarks = sorted(cells["benchmark"].unique())
    columns = pd.MultiIndex.from_tuples([(b, f) for b in benchmarks for f in FIELDS] + [(MEAN, "score")],
                                        names=["benchmark", "field"])
    if cells.empty:
        return pd.DataFrame(index=pd.Index([], name="model_id", dtype=object), columns=columns)
    # one pivot per field keeps each field's dtype (floats stay float, flags become nullable booleans)
    parts = {f: cells.pivot(index="model_id", columns="benchmark", values=f) for f in FIELDS}
    parts = {f: part.astype("boolean" if f in _FLAGS else "float64") for f, part in parts.items()}
    wide = pd.concat(parts, axis=1).swaplevel(axis=1)
    wide[(MEAN, "score")] = parts["score"].mean(axis=1, skipna=True)
    wide = wide.reindex(columns=columns)
    mean = wide[(MEAN, "score")]
    order = sorted(wide.index, key=lambda m: (bool(np.isnan(mean[m])), -np.nan_to_num(mean[m]), m))
    return wide.loc[order]
