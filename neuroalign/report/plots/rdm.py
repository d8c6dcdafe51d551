"""Heatmap of one RDM, its stimuli grouped by category."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from neuroalign.report.plots._axes import figure_and_axes, label_axes, plain, plain_all
from neuroalign.report.plots._stimuli import category_colours, category_groups, square_rdm, stimulus_labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: The ``gid`` of the lines drawn between categories (tests and later styling find them by it).
SEPARATOR_GID = "category-separator"
#: The ``gid`` of the coloured category bars along the axes.
CATEGORY_BAR_GID = "category-bar"
_MAX_ID_TICKS = 40  # beyond this many stimuli, per-stimulus tick labels are unreadable


def plot_rdm(rdms_or_square: Any, *, order_by: Any = None, categories: Any = None, ax: "Axes | None" = None,
             colorbar: bool = True, cmap: str = "viridis", vmin: float | None = None, vmax: float | None = None,
             figsize: tuple[float, float] = (6.4, 5.6), category_bars: bool = True,
             title: str | None = None) -> "Figure":
    """Draw one RDM as a heatmap, stimuli grouped by category.

    Parameters
    ----------
    rdms_or_square : RDMs or array_like, shape (n, n)
        An :class:`~neuroalign.core.rdms.RDMs` holding a single RDM, or a square matrix.
    order_by : str or sequence, optional
        The metadata column that groups the stimuli (``"category"`` by default when ``categories`` is a table),
        or the per-stimulus labels themselves (a Series indexed by stimulus id, or a sequence in matrix order).
    categories : StimulusSet, DataFrame, Series or sequence, optional
        Stimulus metadata (joined by stimulus id) or per-stimulus labels. Stimuli are reordered so that each
        category is contiguous (stable within a category); thin lines separate the categories and the category
        names label the group centres. Without labels the matrix is drawn in its own order.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    colorbar : bool
        Add a colour bar labelled with the RDMs' distance.
    cmap : str or Colormap
        Colour map.
    vmin, vmax : float, optional
        The colour scale's range (by default the matrix's): give the same to RDMs drawn side by side.
    figsize : (float, float)
        Size of a new figure, in inches.
    category_bars : bool
        With categories, draw a bar of one colour per category along both axes (patches with gid
        :data:`CATEGORY_BAR_GID`), so that groups read at a glance.
    title : str, optional
        The title (by default ``"RDM"`` with the number of stimuli).

    Returns
    -------
    matplotlib.figure.Figure
        The figure of ``ax``; the heatmap is ``ax.images[0]``, the category separators are lines with gid
        :data:`SEPARATOR_GID`.

    Raises
    ------
    PlotInputError
        For a stack of several RDMs, a non-square matrix, or labels that do not cover the stimuli.
    """
    rdm = square_rdm(rdms_or_square)
    n = rdm.matrix.shape[0]
    labels = stimulus_labels(rdm.ids, n, categories, order_by)
    fig, ax = figure_and_axes(ax, figsize)
    order, groups = category_groups(labels) if labels is not None else (np.arange(n), [])
    matrix = rdm.matrix[np.ix_(order, order)]
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    for _, _, stop in groups[:-1]:
        ax.axhline(stop - 0.5, color="white", linewidth=0.8, gid=SEPARATOR_GID)
        ax.axvline(stop - 0.5, color="white", linewidth=0.8, gid=SEPARATOR_GID)
    if groups:
        centres = [(start + stop - 1) / 2 for _, start, stop in groups]
        names = [name for name, _, _ in groups]
        ax.set_xticks(centres, plain_all(names), rotation=90)
        ax.set_yticks(centres, plain_all(names))
        if category_bars:
            _category_bars(ax, groups)
    elif rdm.ids is not None and n <= _MAX_ID_TICKS:
        ax.set_xticks(range(n), plain_all(rdm.ids[k] for k in order), rotation=90)
        ax.set_yticks(range(n), plain_all(rdm.ids[k] for k in order))
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    ax.tick_params(length=0, pad=14 if groups and category_bars else 4)
    what = "stimulus (by category)" if groups else "stimulus"
    label_axes(ax, xlabel=what, ylabel=what, title=title if title is not None else f"RDM ({n} stimuli)")
    if groups and category_bars:
        ax.set_title(ax.get_title(), pad=12)  # above the top category bar
    if colorbar:
        label = f"dissimilarity ({rdm.distance})" if rdm.distance else "dissimilarity"
        ax.figure.colorbar(image, ax=ax, label=plain(label), shrink=0.8)
    return fig


def _category_bars(ax: "Axes", groups: list[tuple[str, int, int]]) -> None:
    """A strip of each category's colour just outside the left and top edges of the matrix."""
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import blended_transform_factory

    colours = category_colours([name for name, _, _ in groups])
    along_y = blended_transform_factory(ax.transAxes, ax.transData)  # x in axes fractions, y in matrix rows
    along_x = blended_transform_factory(ax.transData, ax.transAxes)
    for name, start, stop in groups:
        for transform, xy, width, height in ((along_y, (-0.035, start - 0.5), 0.025, stop - start),
                                             (along_x, (start - 0.5, 1.01), stop - start, 0.025)):
            ax.add_patch(Rectangle(xy, width, height, transform=transform, clip_on=False, color=colours[name],
                                   linewidth=0, gid=CATEGORY_BAR_GID))
