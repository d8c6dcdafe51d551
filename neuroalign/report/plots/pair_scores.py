"""Held-out scores of pairs of sources: a point and interval per pair, its permutation-null mean beside it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from neuroalign.errors.applications import PlotInputError
from neuroalign.report.plots._axes import figure_and_axes, label_axes, plain, plain_all

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_COLUMNS = ("label", "value", "low", "high", "null_mean")


def plot_pair_scores(table: "pd.DataFrame", *, ax: "Axes | None" = None, vmin: float | None = None,
                     vmax: float | None = None, cmap: str = "tab10", figsize: tuple[float, float] | None = None,
                     xlabel: str = "held-out score", title: str | None = None) -> "Figure":
    """Draw one row per pair: its held-out score with its interval and the mean of its permutation null.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per pair with ``label``, ``value``, ``low``, ``high`` (the interval; NaN where none) and
        ``null_mean`` (NaN without permutations); an optional ``group`` column colours the rows by group (e.g.
        ``"trained"`` and ``"random twin"``), with a legend.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    vmin, vmax : float, optional
        The score axis' range (by default the data's); give a fixed scale so that figures compare.
    cmap : str
        Qualitative colour map of the groups.
    figsize : (float, float), optional
        Size of a new figure in inches (by default it grows with the rows).
    xlabel : str
        The score axis' label (name the metric).
    title : str, optional
        The title (``"Held-out scores"`` by default).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    PlotInputError
        For a table without the columns, or without rows.
    """
    from matplotlib import colormaps

    missing = [c for c in _COLUMNS if c not in table.columns]
    if missing or table.empty:
        raise PlotInputError(f"pair scores need rows with the columns {list(_COLUMNS)}; missing {missing}"
                             if missing else "pair scores need at least one row")
    n = len(table)
    fig, ax = figure_and_axes(ax, figsize or (7.4, max(2.2, 0.42 * n + 1.4)))
    y = np.arange(n)[::-1]  # the first row on top
    groups = list(dict.fromkeys(table["group"])) if "group" in table.columns else [None]
    colours = colormaps[cmap]
    value, low, high, null = (table[c].to_numpy(dtype=float) for c in ("value", "low", "high", "null_mean"))
    for k, group in enumerate(groups):
        rows = np.ones(n, dtype=bool) if group is None else (table["group"] == group).to_numpy()
        errors = np.vstack([value - low, high - value])[:, rows]
        ax.errorbar(value[rows], y[rows], xerr=np.where(np.isfinite(errors), errors, 0.0), marker="o", linestyle="",
                    capsize=3, color=colours(k % colours.N), label=plain(group) if group is not None else
                    "held-out score (interval)")
    if np.isfinite(null).any():
        ax.plot(null, y, marker="x", linestyle="", color="0.35", label="permutation-null mean")
    ax.axvline(0.0, color="0.3", linewidth=0.6)
    ax.set_yticks(y, plain_all(table["label"]))
    ax.set_ylim(-0.7, n - 0.3)
    if vmin is not None or vmax is not None:
        ax.set_xlim(vmin, vmax)
    ax.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the rows, never on them
    label_axes(ax, xlabel=xlabel, ylabel="pair of sources", title=title if title is not None else "Held-out scores")
    return fig
