"""A model's layer profile: the score of every layer, with intervals and the noise ceiling."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from neuroalign.errors.applications import PlotInputError
from neuroalign.report.plots._axes import figure_and_axes, label_axes, plain, plain_all

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_COLUMNS = ("layer", "value", "interval_low", "interval_high", "ceiling", "ceiling_low")


def _numeric(table: "pd.DataFrame", column: str) -> np.ndarray:
    import pandas as pd

    return pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=np.float64)  # None (no ceiling) -> NaN


def _provenance(table: "pd.DataFrame") -> dict:
    return table.attrs.get("provenance") or {}


def _default_title(table: "pd.DataFrame") -> str:
    model, benchmark = _provenance(table).get("model"), _provenance(table).get("benchmark")
    return f"Layer profile of {model} on {benchmark}" if model and benchmark else "Layer profile"


def plot_layer_profile(sweep_table: "pd.DataFrame", *, ax: "Axes | None" = None, normalized: bool = False,
                       committed: str | None = None, vmin: float | None = None, vmax: float | None = None,
                       color: str = "C0", figsize: tuple[float, float] | None = None,
                       title: str | None = None) -> "Figure":
    """Draw a layer profile: the score of each layer in model order, its interval and the noise ceiling.

    Parameters
    ----------
    sweep_table : pandas.DataFrame
        The table of :func:`neuroalign.sweep`: one row per layer with ``layer``, ``value``, ``interval_low``,
        ``interval_high``, ``ceiling`` and ``ceiling_low`` (missing intervals or ceilings are left out).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    normalized : bool
        Divide every value, interval and ceiling by the layer's ceiling (``value / ceiling``, as
        :attr:`Score.normalized`); the ceiling band then ends at 1.
    committed : str, optional
        A layer to mark, such as the one :func:`neuroalign.score` committed to.
    vmin, vmax : float, optional
        The score axis' range (by default matplotlib's); give the same to profiles that are compared.
    color : str
        Colour of the score line (a line plot has one colour, not a colour map).
    figsize : (float, float), optional
        Size of a new figure in inches (by default it widens with the number of layers).
    title : str, optional
        The title (by default names the model and benchmark of the table's provenance).

    Returns
    -------
    matplotlib.figure.Figure
        The figure of ``ax``; the score line is ``ax.lines[0]``, the ceiling band ``ax.collections[0]``.

    Raises
    ------
    PlotInputError
        For a table without the sweep's columns, or a ``committed`` layer that is not in it.
    """
    missing = [c for c in _COLUMNS if c not in sweep_table.columns]
    if missing:
        raise PlotInputError(f"a layer profile needs the columns of neuroalign.sweep; missing {missing}")
    layers = [str(name) for name in sweep_table["layer"]]
    if committed is not None and committed not in layers:
        raise PlotInputError(f"committed layer {committed!r} is not in the table; layers: {layers}")
    value, low, high, ceiling, ceiling_low = (_numeric(sweep_table, c) for c in _COLUMNS[1:])
    if normalized:
        scale = np.where(ceiling > 0, ceiling, np.nan)
        value, low, high, ceiling, ceiling_low = (a / scale for a in (value, low, high, ceiling, ceiling_low))
    x = np.arange(len(layers))
    fig, ax = figure_and_axes(ax, figsize or (max(6.4, 0.45 * len(layers) + 2), 4.8))
    if np.isfinite(ceiling).any():
        # one step per layer, so a ceiling that changes between layers is drawn where it applies
        edges = np.append(x - 0.5, x[-1] + 0.5)
        ax.fill_between(edges, np.append(ceiling_low, ceiling_low[-1]), np.append(ceiling, ceiling[-1]),
                        step="post", color="0.8", alpha=0.6, linewidth=0, label="noise ceiling (lower-upper)")
    errors = np.vstack([value - low, high - value])
    ax.errorbar(x, value, yerr=np.where(np.isfinite(errors), errors, 0.0), marker="o", color=color, capsize=3,
                label="score (bootstrap interval)")
    if committed is not None:
        k = layers.index(committed)
        ax.axvline(k, color="C3", linestyle="--", linewidth=1)
        ax.plot([k], [value[k]], marker="*", markersize=14, color="C3", linestyle="", label=plain(f"committed: {committed}"))
    ax.axhline(0.0, color="0.3", linewidth=0.6)
    ax.set_xticks(x, plain_all(layers), rotation=60, ha="right", rotation_mode="anchor")
    ax.set_xlim(-0.5, len(layers) - 0.5)
    if vmin is not None or vmax is not None:
        ax.set_ylim(vmin, vmax)
    ax.legend(fontsize="small", loc="best")
    metric = _provenance(sweep_table).get("metric")
    ylabel = "normalised score (score / ceiling)" if normalized else f"score ({metric})" if metric else "score"
    label_axes(ax, xlabel="layer", ylabel=ylabel,
               title=title if title is not None else _default_title(sweep_table))
    return fig
