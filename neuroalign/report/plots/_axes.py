"""Figures without pyplot: an Agg canvas, no global state, safe on machines without a display."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def new_figure(figsize: tuple[float, float] = (6.4, 4.8)) -> "Figure":
    """A figure with constrained layout, drawn by an Agg canvas (``fig.canvas.draw()`` renders it)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def figure_and_axes(ax: "Axes | None", figsize: tuple[float, float] = (6.4, 4.8)) -> tuple["Figure", "Axes"]:
    """The root figure and the axes to draw into: ``ax`` when given, else a new figure's single axes."""
    if ax is None:
        fig = new_figure(figsize)
        return fig, fig.add_subplot()
    return root_figure(ax), ax


def root_figure(ax: "Axes") -> "Figure":
    """The top-level figure of ``ax`` (``ax.figure`` is a sub-figure when ``ax`` lives in one)."""
    fig: Any = ax.figure
    while getattr(fig, "figure", fig) is not fig:  # a Figure's .figure is itself; a SubFigure's is its parent
        fig = fig.figure
    return fig


def label_axes(ax: "Axes", *, xlabel: str, ylabel: str, title: str) -> None:
    """Set both axis labels and the title."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
