"""A score over time, with its interval and the significant clusters shaded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from neuroalign.errors.applications import PlotInputError
from neuroalign.report.plots._axes import figure_and_axes, label_axes, plain

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: The ``gid`` of the shaded cluster spans.
CLUSTER_GID = "significant-cluster"


def _significant_spans(clusters: Sequence[Any], alpha: float) -> list[tuple[float, float]]:
    spans = []
    for cluster in clusters:
        if hasattr(cluster, "tmin"):
            if cluster.p_value <= alpha:
                spans.append((float(cluster.tmin), float(cluster.tmax)))
        else:
            tmin, tmax = cluster  # a bare (tmin, tmax) pair is taken as significant
            spans.append((float(tmin), float(tmax)))
    return spans


def plot_time_course(times: Any, values: Any, *, interval: Any = None, clusters: Sequence[Any] | None = None,
                     alpha: float = 0.05, ax: "Axes | None" = None, label: str | None = None,
                     vmin: float | None = None, vmax: float | None = None, color: str = "C0",
                     figsize: tuple[float, float] = (7.2, 4.0), ylabel: str = "score",
                     title: str | None = None) -> "Figure":
    """Draw a time course: a line over time, its interval, a zero line and the significant clusters.

    Parameters
    ----------
    times : array_like, shape (n_times,)
        Time of each value, in seconds.
    values : array_like, shape (n_times,)
        One value per time point (e.g. a row of :attr:`TimeCourse.values`).
    interval : array_like, shape (2, n_times), optional
        Lower and upper bound at each time point, drawn as a band.
    clusters : sequence, optional
        Clusters with ``tmin``, ``tmax`` and ``p_value`` (the :class:`~neuroalign.analysis.clusters.TimeCluster`
        of a cluster test; only those with ``p_value <= alpha`` are shaded), or ``(tmin, tmax)`` pairs (all
        shaded). A span covers its first to its last sample, widened by half a sample on each side.
    alpha : float
        Significance level of the clusters.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    label : str, optional
        Legend label of the line.
    vmin, vmax : float, optional
        The value axis' range (by default matplotlib's); give the same to time courses that are compared.
    color : str
        Colour of the line and its interval (a line plot has one colour, not a colour map).
    figsize : (float, float)
        Size of a new figure, in inches.
    ylabel : str
        The y-axis label.
    title : str, optional
        The title (``"Time course"`` by default).

    Returns
    -------
    matplotlib.figure.Figure
        The figure of ``ax``; the shaded clusters are patches with gid :data:`CLUSTER_GID`.

    Raises
    ------
    PlotInputError
        For values or an interval whose shape does not match ``times``.
    """
    t = np.asarray(times, dtype=np.float64)
    y = np.asarray(values, dtype=np.float64)
    if t.ndim != 1 or y.shape != t.shape:
        raise PlotInputError(f"times and values must be 1-D of the same length; got {t.shape} and {y.shape}")
    fig, ax = figure_and_axes(ax, figsize)
    half_step = float(np.median(np.diff(t))) / 2 if len(t) > 1 else 0.0
    spans = _significant_spans(clusters or (), alpha)
    for k, (tmin, tmax) in enumerate(spans):
        ax.axvspan(tmin - half_step, tmax + half_step, color="C1", alpha=0.25, linewidth=0, gid=CLUSTER_GID,
                   label=f"cluster p ≤ {alpha:g}" if k == 0 else None)
    if interval is not None:
        bounds = np.asarray(interval, dtype=np.float64)
        if bounds.shape != (2, len(t)):
            raise PlotInputError(f"interval must have shape (2, {len(t)}) (lower, upper); got {bounds.shape}")
        ax.fill_between(t, bounds[0], bounds[1], color=color, alpha=0.25, linewidth=0, label="interval")
    ax.plot(t, y, color=color, linewidth=1.5, label=plain(label or "score"))
    ax.axhline(0.0, color="0.3", linewidth=0.8, linestyle="--")
    if len(t) > 1:
        ax.set_xlim(t[0] - half_step, t[-1] + half_step)
    if vmin is not None or vmax is not None:
        ax.set_ylim(vmin, vmax)
    ax.legend(fontsize="small", loc="best")
    label_axes(ax, xlabel="time (s)", ylabel=ylabel, title=title if title is not None else "Time course")
    return fig
