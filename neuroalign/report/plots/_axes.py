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


def plain(value: Any) -> str:
    """``str(value)`` drawn as itself by matplotlib: ``$`` escaped, so that an id such as ``net$v2$`` is not read as
    mathtext (which renders it in italics, or fails to draw the figure when the text is not valid TeX).

    Every text that comes from data or a user (ids, layer and category names, metric names, titles) goes through
    this before it reaches matplotlib.
    """
    return str(value).replace("$", r"\$")


def plain_all(values: Any) -> list[str]:
    """:func:`plain` of every value (tick labels)."""
    return [plain(v) for v in values]


def label_axes(ax: "Axes", *, xlabel: str, ylabel: str, title: str) -> None:
    """Set both axis labels and the title (each through :func:`plain`)."""
    ax.set_xlabel(plain(xlabel))
    ax.set_ylabel(plain(ylabel))
    ax.set_title(plain(title))
