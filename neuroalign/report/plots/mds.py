"""Two-dimensional MDS embedding of one RDM, points coloured by category, optional image thumbnails."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from neuroalign.core.stimuli import StimulusSet
from neuroalign.errors import InvalidRDMError
from neuroalign.errors.applications import PlotInputError
from neuroalign.report.mds import classical_mds, metric_mds
from neuroalign.report.plots._axes import figure_and_axes, label_axes, plain
from neuroalign.report.plots._stimuli import category_colours, square_rdm, stimulus_labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_METHODS = {"classical": classical_mds, "metric": metric_mds}


def _classical(square: Any, n_components: int) -> np.ndarray:
    """Classical MDS of an RDM whose distance's entry says whether its values are squared distances already."""
    from neuroalign.rdm.geometry import squared_distances  # the distance registry imports torch

    try:
        squares = squared_distances(square.matrix, square.distance, unnamed=False)
    except InvalidRDMError:  # no Euclidean geometry (a divergence) or an unknown name: MDS's own convention
        squares = square.matrix ** 2
    return classical_mds(squares, n_components, squared=True)


def _image_array(image: Any) -> np.ndarray:
    if isinstance(image, np.ndarray):
        return image
    from PIL import Image

    with Image.open(image) as opened:
        return np.asarray(opened.convert("RGB"))


def _thumbnails(images: Any, ids: tuple[str, ...] | None, n: int) -> list[np.ndarray]:
    if isinstance(images, StimulusSet):
        if ids is None:
            raise PlotInputError("images from a StimulusSet are joined by stimulus id; give an RDMs, not an array")
        return [_image_array(images.payload(sid, "image")) for sid in ids]
    if isinstance(images, Mapping):
        if ids is None:
            raise PlotInputError("images keyed by stimulus id need an RDMs with ids, not a bare array")
        missing = [sid for sid in ids if sid not in images]
        if missing:
            raise PlotInputError(f"no image for stimulus ids {missing[:10]}")
        return [_image_array(images[sid]) for sid in ids]
    listed = list(images)
    if len(listed) != n:
        raise PlotInputError(f"{len(listed)} images for {n} stimuli")
    return [_image_array(image) for image in listed]


def plot_mds(rdm: Any, *, categories: Any = None, images: Any = None, ax: "Axes | None" = None,
             method: str = "classical", image_zoom: float = 0.12, cmap: str | None = None,
             vmin: float | None = None, vmax: float | None = None, figsize: tuple[float, float] = (7.6, 5.6),
             title: str | None = None) -> "Figure":
    """Draw a 2-D MDS embedding of one RDM: near points are stimuli with similar representations.

    Parameters
    ----------
    rdm : RDMs or array_like, shape (n, n)
        An :class:`~neuroalign.core.rdms.RDMs` holding a single RDM (no missing pairs), or a square matrix.
    categories : StimulusSet, DataFrame, Series or sequence, optional
        Stimulus metadata (its ``category`` column, joined by stimulus id) or per-stimulus labels; points are
        coloured by category, with a legend.
    images : StimulusSet, mapping or sequence, optional
        Thumbnails drawn at the points: a stimulus set with ``image`` payloads or a mapping from stimulus id
        (joined by id), or a sequence in matrix order; each image is a path or an array.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    method : {"classical", "metric"}
        Classical (Torgerson) MDS, or metric MDS (SMACOF started from the classical solution); both are
        deterministic (see :mod:`neuroalign.report.mds`). Classical MDS double-centres squared distances: an RDM
        whose distance is squared already (correlation, sqeuclidean, crossnobis, ...) is not squared again, so the
        points reproduce the patterns' geometry; a bare matrix is taken as plain distances.
    image_zoom : float
        Scale of the thumbnails.
    cmap : str, optional
        A qualitative colour map for the categories (``tab10``, ``tab20`` beyond ten, by default).
    vmin, vmax : float, optional
        Limits of both MDS axes (by default the points'); give the same to embeddings that are compared.
    figsize : (float, float)
        Size of a new figure, in inches.
    title : str, optional
        The title (by default names the method and the distance).

    Returns
    -------
    matplotlib.figure.Figure
        The points are the first collection of the axes.

    Raises
    ------
    PlotInputError
        For a stack of several RDMs, missing dissimilarities, an unknown method, or labels or images that do not
        cover the stimuli.
    """
    if method not in _METHODS:
        raise PlotInputError(f"unknown MDS method {method!r}; choose one of {sorted(_METHODS)}")
    square = square_rdm(rdm)
    n = square.matrix.shape[0]
    labels = stimulus_labels(square.ids, n, categories)
    coords = _classical(square, 2) if method == "classical" else metric_mds(square.matrix, 2)
    fig, ax = figure_and_axes(ax, figsize)
    if labels is None:
        point_colours = ["C0"] * n
    else:
        colours = category_colours([str(c) for c in labels.categories], cmap)
        point_colours = [colours[str(c)] for c in labels]
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], linestyle="", marker="o", color=colour, label=plain(name))
                   for name, colour in colours.items()]
        ax.legend(handles=handles, title="category", fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1))
    ax.scatter(coords[:, 0], coords[:, 1], s=25, c=point_colours)
    if images is not None:
        from matplotlib.offsetbox import AnnotationBbox, OffsetImage

        for (x, y), image, colour in zip(coords, _thumbnails(images, square.ids, n), point_colours):
            # the frame keeps the category colour visible where the thumbnail covers the point
            ax.add_artist(AnnotationBbox(OffsetImage(image, zoom=image_zoom), (x, y), pad=0.15,
                                         bboxprops={"edgecolor": colour, "linewidth": 1.5}))
    ax.set_aspect("equal", adjustable="datalim")
    if vmin is not None or vmax is not None:
        ax.set_xlim(vmin, vmax)
        ax.set_ylim(vmin, vmax)
    distance = f", {square.distance}" if square.distance else ""
    label_axes(ax, xlabel="MDS dimension 1", ylabel="MDS dimension 2",
               title=title if title is not None else f"{method.capitalize()} MDS ({n} stimuli{distance})")
    return fig
