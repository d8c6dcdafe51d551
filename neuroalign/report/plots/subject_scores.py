"""One score's per-subject values: a point per subject, the mean with its interval, and the noise ceiling."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from neuroalign.errors.applications import PlotInputError
from neuroalign.report.plots._axes import figure_and_axes, label_axes, plain_all

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def plot_subject_scores(values: Any, *, subjects: Sequence[str] | None = None, interval: Any = None,
                        ceiling: tuple[float | None, float] | None = None, ax: "Axes | None" = None,
                        vmin: float | None = None, vmax: float | None = None, color: str = "C0",
                        figsize: tuple[float, float] = (4.0, 3.6), ylabel: str = "score",
                        title: str | None = None) -> "Figure":
    """Draw the per-subject values of a score (``Score.raw``): one point each, their mean, interval and ceiling.

    Parameters
    ----------
    values : array_like, shape (n_subjects,)
        One value per subject (NaN values are left out).
    subjects : sequence of str, optional
        The subjects' names, in the order of ``values`` (``"1"``, ``"2"``... by default).
    interval : (float, float), optional
        The score's interval, drawn as an error bar on the mean.
    ceiling : (lower or None, upper), optional
        The noise ceiling, drawn as a grey band (a line where the lower bound is unknown).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    vmin, vmax : float, optional
        The y-axis range (by default matplotlib's, which always includes 0).
    color : str
        The points' colour.
    figsize : (float, float)
        Size of a new figure, in inches.
    ylabel, title : str
        Axis label and title (``"Per-subject scores"`` by default).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    PlotInputError
        For values that are not one number per subject, or names that do not match them.
    """
    y = np.asarray(values, dtype=np.float64)
    if y.ndim != 1 or y.size == 0:
        raise PlotInputError(f"expected one value per subject (a 1-D array); got shape {y.shape}")
    names = [str(k + 1) for k in range(y.size)] if subjects is None else list(subjects)
    if len(names) != y.size:
        raise PlotInputError(f"{len(names)} subject names for {y.size} values")
    fig, ax = figure_and_axes(ax, figsize)
    x = np.arange(y.size)
    if ceiling is not None:
        low, high = ceiling
        if low is None:
            ax.axhline(high, color="0.5", linestyle=":", label="noise ceiling")
        else:
            ax.axhspan(low, high, color="0.8", alpha=0.6, linewidth=0, label="noise ceiling (lower-upper)")
    ax.scatter(x, y, color=color, zorder=3, label="subject")
    mean = float(np.nanmean(y))
    ax.axhline(mean, color=color, linewidth=1, label=f"mean {mean:.3f}")
    if interval is not None:
        ax.errorbar([x.mean()], [mean], yerr=[[mean - interval[0]], [interval[1] - mean]], color="C3", capsize=4,
                    marker="_", markersize=12, linestyle="", label="interval", zorder=4)
    ax.axhline(0.0, color="0.3", linewidth=0.6)
    ax.set_xticks(x, plain_all(names))
    ax.set_xlim(-0.6, y.size - 0.4)
    if vmin is not None or vmax is not None:
        ax.set_ylim(vmin, vmax)
    ax.legend(fontsize="x-small", loc="best")
    label_axes(ax, xlabel="subject", ylabel=ylabel, title=title if title is not None else "Per-subject scores")
    return fig
