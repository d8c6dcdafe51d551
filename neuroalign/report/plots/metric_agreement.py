"""Do measures agree? Every pair of metrics as a scatter over the same items, with its rank correlation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from neuroalign.compare import DegenerateRDMError, compare_condensed
from neuroalign.errors.applications import PlotInputError
from neuroalign.report.plots._axes import new_figure, plain, root_figure

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, int]:
    """Spearman's rank correlation over the items where both are finite (average ranks for ties), and their count.

    The package's Spearman comparator on the two vectors (one ranking rule everywhere); NaN where it is undefined
    (fewer than 3 items, or one metric constant over them).
    """
    keep = np.isfinite(x) & np.isfinite(y)
    n = int(keep.sum())
    if n < 3:
        return float("nan"), n
    try:
        return float(compare_condensed(x[keep], y[keep], "spearman")[0, 0]), n
    except DegenerateRDMError:
        return float("nan"), n


def _panel(ax: "Axes", x: np.ndarray, y: np.ndarray, xlabel: str, ylabel: str, color: str = "C0",
           limits: tuple[float | None, float | None] = (None, None)) -> None:
    rho, n = spearman(x, y)
    ax.scatter(x, y, s=14, color=color, alpha=0.8)
    ax.set_xlabel(plain(xlabel))
    ax.set_ylabel(plain(ylabel))
    if limits != (None, None):
        ax.set_xlim(*limits)
        ax.set_ylim(*limits)
    # a rank correlation of fewer than 3 items (or of a constant metric) is undefined: say so, never "nan"
    heading = f"Spearman ρ = {rho:.2f} (n = {n})" if np.isfinite(rho) else f"Spearman ρ undefined (n = {n})"
    ax.set_title(heading, fontsize="medium")


def plot_metric_agreement(values_by_metric: "pd.DataFrame", *, ax: "Axes | None" = None, color: str = "C0",
                          vmin: float | None = None, vmax: float | None = None,
                          figsize: tuple[float, float] | None = None, title: str | None = None) -> "Figure":
    """Draw a scatter matrix of metrics: for each two metrics, their values over the same items.

    Each panel's title gives the Spearman rank correlation of its two metrics (over the items where both are
    finite): high when the metrics order the items alike, whatever their scales.

    Parameters
    ----------
    values_by_metric : pandas.DataFrame
        One row per item (a model pair, a layer, a model), one numeric column per metric.
    ax : matplotlib.axes.Axes, optional
        Where to draw the single panel of exactly two metrics; with more metrics the panels need a figure of
        their own, so ``ax`` must be None.
    color : str
        Colour of the points (a scatter of one kind of item has one colour, not a colour map).
    vmin, vmax : float, optional
        Limits of every panel's axes (by default each panel's data).
    figsize : (float, float), optional
        Size of the new figure in inches (by default 3.2 x 3 inches per panel).
    title : str, optional
        The figure's title (``"Agreement between metrics"`` by default).

    Returns
    -------
    matplotlib.figure.Figure
        With ``k`` metrics, the lower triangle of a ``(k - 1) x (k - 1)`` grid: the panel in row ``i`` and
        column ``j`` plots metric ``i + 1`` (y) against metric ``j`` (x).

    Raises
    ------
    PlotInputError
        For fewer than two metrics, non-numeric values, or an ``ax`` with more than two metrics.
    """
    import pandas as pd

    metrics = [str(c) for c in values_by_metric.columns]
    if len(metrics) < 2:
        raise PlotInputError(f"metric agreement needs at least two metric columns; got {metrics}")
    if ax is not None and len(metrics) != 2:
        raise PlotInputError(f"ax holds one panel, but {len(metrics)} metrics need {len(metrics) - 1} rows of "
                             "panels; leave ax=None")
    try:
        values = values_by_metric.apply(pd.to_numeric).to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise PlotInputError(f"metric values must be numeric: {error}") from error
    heading = title if title is not None else "Agreement between metrics"
    if ax is not None:
        _panel(ax, values[:, 0], values[:, 1], metrics[0], metrics[1], color, (vmin, vmax))
        return root_figure(ax)
    k = len(metrics) - 1
    fig = new_figure(figsize or (3.2 * k + 0.6, 3.0 * k + 0.6))
    grid = fig.subplots(k, k, squeeze=False)
    for row in range(k):
        for col in range(k):
            if col > row:
                grid[row, col].remove()
            else:
                _panel(grid[row, col], values[:, col], values[:, row + 1], metrics[col], metrics[row + 1], color,
                       (vmin, vmax))
    fig.suptitle(plain(heading))
    return fig
