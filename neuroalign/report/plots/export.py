"""Figures to files (atomically) and to base64 PNG text for HTML."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

from neuroalign.errors.applications import PlotInputError
from neuroalign.utils.atomic import atomic_path

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = ("png", "svg", "pdf")


def save_figure(fig: "Figure", path: str | os.PathLike[str], *, dpi: float | None = 150) -> Path:
    """Write a figure to ``path``, atomically: a reader never sees a half-written file.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : path-like
        The file; its suffix (``.png``, ``.svg`` or ``.pdf``) chooses the format. Missing folders are created.
    dpi : float, optional
        Resolution of raster output.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    PlotInputError
        For a suffix that is not one of the formats.
    """
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise PlotInputError(f"cannot tell the format of {target.name!r}; use a suffix among {list(FORMATS)}")
    with atomic_path(target) as tmp:
        # the temporary name ends in ".partial", so the format is given explicitly
        fig.savefig(tmp, format=fmt, dpi=dpi)
    return target


def figure_to_base64_png(fig: "Figure", *, dpi: float | None = 100) -> str:
    """The figure as a PNG, base64-encoded text: embed it as ``<img src="data:image/png;base64,...">``."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return base64.b64encode(buffer.getvalue()).decode("ascii")
