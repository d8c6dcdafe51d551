"""Stored layer profiles (``neuroalign run --sweep``, result kind ``"layer_sweep"``) as sweep tables.

A profile scores every layer of a model on every stimulus of a benchmark; each layer is its own stored result.
The report draws the profile of a model on a benchmark version next to that score.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    import pandas as pd

    from neuroalign.store import ResultsStore

KIND = "layer_sweep"
_COLUMNS = ["layer", "value", "interval_low", "interval_high", "ceiling", "ceiling_low"]


def stored_profiles(store: "ResultsStore", benchmarks: Iterable[str]) -> dict[tuple[str, str, str], "pd.DataFrame"]:
    """``(model_id, benchmark_id, benchmark_version)`` to its profile: one row per layer (the latest result of
    each), in the order the layers were stored (the model's order), with the columns of :func:`neuroalign.sweep`.
    """
    rows = store.results(kind=KIND)
    rows = rows[rows["benchmark_id"].isin(list(benchmarks))]
    if rows.empty:
        return {}
    latest = rows.sort_values(["created_at", "id"]).groupby(
        ["model_id", "benchmark_id", "benchmark_version", "layer"], sort=False).tail(1).sort_values("id")
    out = {}
    for key, group in latest.groupby(["model_id", "benchmark_id", "benchmark_version"], sort=False):
        table = group[_COLUMNS].reset_index(drop=True)
        metric = group["metric"].iloc[0]
        table.attrs["provenance"] = {"model": key[0], "benchmark": key[1], "metric": metric}
        out[tuple(str(k) for k in key)] = table
    return out


def in_layer_order(table: "pd.DataFrame", order: list[str]) -> "pd.DataFrame":
    """The profile with its layers in ``order`` (the score's ``layers_considered``), others after them."""
    rank = {name: k for k, name in enumerate(order)}
    position = [rank.get(str(name), len(order) + k) for k, name in enumerate(table["layer"])]
    ordered = table.iloc[sorted(range(len(table)), key=position.__getitem__)].reset_index(drop=True)
    ordered.attrs = dict(table.attrs)
    return ordered


def describe(table: "pd.DataFrame") -> str:
    """One line for a caption: the number of layers and the best one."""
    best = table.loc[table["value"].astype(float).idxmax()]
    return f"{len(table)} layers, best {best['layer']} ({float(best['value']):.3f})"
