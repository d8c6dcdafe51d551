"""Models x benchmarks: a heatmap of scores, annotated, with missing scores hatched.

It stays readable from one model to hundreds: cells are annotated up to :data:`MAX_ANNOTATED` models, models are
named on the axis up to :data:`MAX_NAMED` (beyond that the axis says how many, in the table's order), and the
figure grows with the number of models up to :data:`MAX_HEIGHT` inches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from neuroalign.report.plots._axes import figure_and_axes, label_axes, plain, plain_all
from neuroalign.errors.applications import PlotInputError
from neuroalign.report.plots._tables import numeric_values
from neuroalign.report.plots.scales import RAW, ColourScale

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: The ``gid`` of the hatched rectangles that mark missing scores.
MISSING_GID = "missing-score"
#: Beyond this many models, cells are not annotated (the numbers would overlap).
MAX_ANNOTATED = 40
#: Beyond this many models, the model axis is not labelled model by model.
MAX_NAMED = 150
#: The tallest figure drawn, in inches.
MAX_HEIGHT = 16.0


def _text_colour(rgba: tuple[float, ...]) -> str:
    luminance = 0.2126 * rgba[0] + 0.7152 * rgba[1] + 0.0722 * rgba[2]
    return "black" if luminance > 0.5 else "white"


def plot_score_matrix(table: "pd.DataFrame", *, ax: "Axes | None" = None, annotate: bool = True,
                      colorbar: bool = True, fmt: str = "{:.2f}", cmap: str = "viridis",
                      vmin: float | None = None, vmax: float | None = None,
                      figsize: tuple[float, float] | None = None, label: str = "normalised score",
                      raw: Any = None, raw_scale: ColourScale = RAW, title: str | None = None) -> "Figure":
    """Draw a model x benchmark table of scores as a heatmap.

    Parameters
    ----------
    table : pandas.DataFrame
        Models as the index, benchmarks as the columns, scores (normally ceiling-normalised) as values; NaN where
        a model was not scored on a benchmark.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    annotate : bool
        Write each score in its cell (missing cells stay blank and are hatched); only up to
        :data:`MAX_ANNOTATED` models.
    colorbar : bool
        Add a colour bar.
    fmt : str
        Format of the annotations.
    cmap : str or Colormap
        Colour map.
    vmin, vmax : float, optional
        The colour scale's range (by default the data's): fix it (e.g. with
        :mod:`neuroalign.report.plots.scales`) so that figures compare. Values outside are drawn in the end colours
        and the colour bar gets an arrow on that side.
    figsize : (float, float), optional
        Size in inches of a new figure (by default it grows with the table, up to :data:`MAX_HEIGHT` tall).
    label : str
        Label of the colour bar.
    raw : DataFrame or array_like of bool, optional
        Which cells hold raw scores (same shape as ``table``): they are drawn on ``raw_scale`` with a second colour
        bar, the other cells on ``cmap``/``vmin``/``vmax`` (a leaderboard mixes normalised and raw scores, which
        never share a colour scale).
    raw_scale : ColourScale
        The scale of the raw cells (:data:`neuroalign.report.plots.scales.RAW`: -1 to 1, centred on 0).
    title : str, optional
        The title (``"Scores"`` by default).

    Returns
    -------
    matplotlib.figure.Figure
        The figure of ``ax``; the heatmap is ``ax.images[0]`` (the raw cells ``ax.images[1]``), missing cells are
        rectangles with gid :data:`MISSING_GID`.

    Raises
    ------
    PlotInputError
        For an empty table, non-numeric scores, or a ``raw`` mask of another shape.
    """
    from matplotlib.patches import Rectangle

    values = numeric_values(table, "score", "scores")
    n_models, n_benchmarks = values.shape
    row_height = 0.45 if n_models <= MAX_ANNOTATED else 0.12
    size = figsize or (max(5.0, 1.1 * n_benchmarks + 3), min(MAX_HEIGHT, max(3.0, row_height * n_models + 2)))
    fig, ax = figure_and_axes(ax, size)
    on_raw = _raw_mask(raw, values.shape)
    layers = [(~on_raw, cmap, vmin, vmax, label)]
    if on_raw.any():
        layers.append((on_raw, raw_scale.cmap, raw_scale.vmin, raw_scale.vmax, raw_scale.label))
    images = []
    for cells, colours, low, high, _ in layers:
        shown = np.ma.masked_where(~cells | ~np.isfinite(values), values)
        images.append(ax.imshow(shown, cmap=colours, vmin=low, vmax=high, aspect="auto", interpolation="nearest"))
    for i, j in np.argwhere(np.isnan(values)):
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", edgecolor="0.6", linewidth=0,
                               gid=MISSING_GID))
    if annotate and n_models <= MAX_ANNOTATED:
        for i, j in np.argwhere(np.isfinite(values)):
            ax.text(j, i, fmt.format(values[i, j]), ha="center", va="center", fontsize="small",
                    color=_text_colour(_colour(images[int(on_raw[i, j])], values[i, j])))
    ax.set_xticks(range(n_benchmarks), plain_all(table.columns), rotation=30, ha="right",
                  rotation_mode="anchor")
    ylabel = "model"
    if n_models <= MAX_NAMED:
        ax.set_yticks(range(n_models), plain_all(table.index),
                      fontsize="medium" if n_models <= MAX_ANNOTATED else "xx-small")
    else:  # hundreds of names are a black bar: the table next to the figure names them
        ax.set_yticks([])
        ylabel = f"model ({n_models}, in the table's order)"
    label_axes(ax, xlabel="benchmark", ylabel=ylabel, title=title if title is not None else "Scores")
    if colorbar:
        for (cells, _, _, _, what), image in zip(layers, images):
            if cells.any() or len(layers) == 1:
                ax.figure.colorbar(image, ax=ax, label=plain(what), extend=_extend(values[cells], image.norm),
                                   shrink=0.9 if len(layers) == 1 else 0.6)
    return fig


def _raw_mask(raw: Any, shape: tuple[int, int]) -> np.ndarray:
    if raw is None:
        return np.zeros(shape, dtype=bool)
    mask = np.asarray(raw, dtype=bool)
    if mask.shape != shape:
        raise PlotInputError(f"the raw mask has shape {mask.shape}; the score table has shape {shape}")
    return mask


def _colour(image, value: float) -> tuple[float, ...]:
    return image.cmap(image.norm(value))


def _extend(values: np.ndarray, norm) -> str:
    """Which end(s) of the colour bar get an arrow: where some value lies outside the colour scale."""
    finite = values[np.isfinite(values)]
    low = bool(finite.size and finite.min() < norm.vmin)
    high = bool(finite.size and finite.max() > norm.vmax)
    return {(False, False): "neither", (True, False): "min", (False, True): "max"}.get((low, high), "both")
