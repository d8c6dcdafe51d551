"""Models x benchmarks: a heatmap of scores, annotated, with missing scores hatched."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from neuroalign.report.plots._axes import figure_and_axes, label_axes, plain, plain_all
from neuroalign.report.plots._tables import numeric_values

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: The ``gid`` of the hatched rectangles that mark missing scores.
MISSING_GID = "missing-score"


def _text_colour(rgba: tuple[float, ...]) -> str:
    luminance = 0.2126 * rgba[0] + 0.7152 * rgba[1] + 0.0722 * rgba[2]
    return "black" if luminance > 0.5 else "white"


def plot_score_matrix(table: "pd.DataFrame", *, ax: "Axes | None" = None, annotate: bool = True,
                      colorbar: bool = True, fmt: str = "{:.2f}", cmap: str = "viridis",
                      label: str = "normalised score", title: str | None = None) -> "Figure":
    """Draw a model x benchmark table of scores as a heatmap.

    Parameters
    ----------
    table : pandas.DataFrame
        Models as the index, benchmarks as the columns, scores (normally ceiling-normalised) as values; NaN where
        a model was not scored on a benchmark.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    annotate : bool
        Write each score in its cell (missing cells stay blank and are hatched).
    colorbar : bool
        Add a colour bar.
    fmt : str
        Format of the annotations.
    cmap : str
        Colour map.
    label : str
        Label of the colour bar.
    title : str, optional
        The title (``"Scores"`` by default).

    Returns
    -------
    matplotlib.figure.Figure
        The figure of ``ax``; the heatmap is ``ax.images[0]``, missing cells are rectangles with gid
        :data:`MISSING_GID`.

    Raises
    ------
    PlotInputError
        For an empty table or non-numeric scores.
    """
    from matplotlib.patches import Rectangle

    values = numeric_values(table, "score", "scores")
    n_models, n_benchmarks = values.shape
    fig, ax = figure_and_axes(ax, (max(5.0, 1.1 * n_benchmarks + 3), max(3.0, 0.45 * n_models + 2)))
    masked = np.ma.masked_invalid(values)
    image = ax.imshow(masked, cmap=cmap, aspect="auto", interpolation="nearest")
    for i, j in np.argwhere(np.isnan(values)):
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", edgecolor="0.6", linewidth=0,
                               gid=MISSING_GID))
    if annotate:
        for i, j in np.argwhere(np.isfinite(values)):
            ax.text(j, i, fmt.format(values[i, j]), ha="center", va="center", fontsize="small",
                    color=_text_colour(image.cmap(image.norm(values[i, j]))))
    ax.set_xticks(range(n_benchmarks), plain_all(table.columns), rotation=45, ha="right",
                  rotation_mode="anchor")
    ax.set_yticks(range(n_models), plain_all(table.index))
    label_axes(ax, xlabel="benchmark", ylabel="model", title=title if title is not None else "Scores")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label=plain(label))
    return fig
