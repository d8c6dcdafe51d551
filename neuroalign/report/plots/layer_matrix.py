"""Layer x layer alignment: a heatmap of one measure between every layer of one source and every layer of another."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from neuroalign.errors.applications import PlotInputError
from neuroalign.report.plots._axes import figure_and_axes, label_axes, plain, plain_all
from neuroalign.report.plots._tables import numeric_values

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: The ``gid`` of the rectangle that outlines the committed layer pair.
COMMITTED_GID = "committed-layers"


def _committed_cell(table: "pd.DataFrame", committed: Any) -> tuple[int, int] | None:
    if committed is None:
        return None
    rows, cols = [str(r) for r in table.index], [str(c) for c in table.columns]
    pair = (committed.layer_a, committed.layer_b) if hasattr(committed, "layer_a") else tuple(committed)
    for a, b in (pair, pair[::-1]):  # a PairAlignment may be in the other orientation than the table
        if a in rows and b in cols:
            return rows.index(a), cols.index(b)
    raise PlotInputError(f"the committed layers {pair} are not a cell of the table (rows {rows}, columns {cols})")


def plot_layer_matrix(table: "pd.DataFrame", *, committed: Any = None, ax: "Axes | None" = None,
                      annotate: bool = True, colorbar: bool = True, fmt: str = "{:.2f}", cmap: str = "magma",
                      vmin: float | None = None, vmax: float | None = None,
                      figsize: tuple[float, float] | None = None, label: str = "alignment",
                      title: str | None = None) -> "Figure":
    """Draw a layer x layer table of one alignment measure as a heatmap.

    Parameters
    ----------
    table : pandas.DataFrame
        Layers of one source as the index, layers of the other as the columns (e.g.
        :meth:`neuroalign.alignment.AlignmentStudy.layer_matrix`); NaN where the measure was undefined.
    committed : PairAlignment or (str, str), optional
        The committed layer pair, outlined (a rectangle with gid :data:`COMMITTED_GID`).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    annotate : bool
        Write each value in its cell (only when the table has at most 12 x 12 cells).
    colorbar : bool
        Add a colour bar.
    fmt, cmap, label : str
        Annotation format, colour map, colour-bar label.
    vmin, vmax : float, optional
        The colour scale's range (by default the table's); fix it so that matrices compare.
    figsize : (float, float), optional
        Size of a new figure in inches (by default it grows with the table).
    title : str, optional
        The title (``"Layer x layer alignment"`` by default).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    PlotInputError
        For an empty or non-numeric table, or committed layers that are not in it.
    """
    from matplotlib.patches import Rectangle

    values = numeric_values(table, "layer", "alignment values")
    cell = _committed_cell(table, committed)
    n_rows, n_cols = values.shape
    fig, ax = figure_and_axes(ax, figsize or (max(4.5, 0.55 * n_cols + 3), max(3.5, 0.45 * n_rows + 2)))
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto",
                      interpolation="nearest")
    if annotate and n_rows <= 12 and n_cols <= 12:
        for i, j in np.argwhere(np.isfinite(values)):
            red, green, blue, _ = image.cmap(image.norm(values[i, j]))
            ax.text(j, i, fmt.format(values[i, j]), ha="center", va="center", fontsize="x-small",
                    color="black" if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.5 else "white")
    if cell is not None:
        ax.add_patch(Rectangle((cell[1] - 0.5, cell[0] - 0.5), 1, 1, fill=False, edgecolor="cyan", linewidth=2,
                               gid=COMMITTED_GID))
    ax.set_xticks(range(n_cols), plain_all(table.columns), rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(n_rows), plain_all(table.index))
    label_axes(ax, xlabel=str(table.columns.name or "layer"), ylabel=str(table.index.name or "layer"),
               title=title if title is not None else "Layer x layer alignment")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label=plain(label))
    return fig
