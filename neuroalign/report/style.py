"""Publication output: ``with style.publication(): ...`` draws figures for a paper (small fonts, vector files).

The plot functions build their figures without pyplot, and matplotlib reads its settings (``rcParams``) when a
figure, an axes or a text is created and when a file is written, so every figure drawn *and saved* inside the
block gets them::

    from neuroalign.report import save_figure, style
    from neuroalign.report.plots import plot_layer_profile

    with style.publication(width="single"):
        fig = plot_layer_profile(table, figsize=style.size("single", aspect=0.75))
        save_figure(fig, "profile.pdf")          # or .svg: text stays text (editable in Illustrator/Inkscape)

Outside the block nothing changes (``matplotlib.rc_context``).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

#: Figure widths in inches: one journal column, a column and a half, the full page width (Nature, Cell, eLife
#: and the Journal of Neuroscience all fall within 0.1 inch of these).
WIDTHS = {"single": 3.5, "one-and-a-half": 5.5, "double": 7.2}


def size(width: str | float = "single", aspect: float = 0.75) -> tuple[float, float]:
    """A figure size in inches: ``width`` (a name of :data:`WIDTHS` or inches) by ``width * aspect``."""
    inches = WIDTHS[width] if isinstance(width, str) else float(width)
    return inches, inches * aspect


def publication_rc(font_size: float = 7.0, line_width: float = 0.8, dpi: float = 300.0,
                   file_format: str = "pdf") -> dict[str, object]:
    """The matplotlib settings of :func:`publication` (see there)."""
    return {
        "font.size": font_size, "axes.titlesize": font_size + 1, "axes.labelsize": font_size,
        "xtick.labelsize": font_size - 1, "ytick.labelsize": font_size - 1, "legend.fontsize": font_size - 1,
        "figure.titlesize": font_size + 1, "lines.linewidth": line_width, "axes.linewidth": line_width * 0.75,
        "xtick.major.width": line_width * 0.75, "ytick.major.width": line_width * 0.75,
        "lines.markersize": 4.0, "savefig.dpi": dpi, "savefig.format": file_format, "figure.dpi": 100.0,
        # text stays text in vector files: Type 42 (TrueType) fonts in PDF, <text> elements in SVG
        "pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "none",
        "axes.spines.top": False, "axes.spines.right": False,
    }


@contextmanager
def publication(font_size: float = 7.0, line_width: float = 0.8, dpi: float = 300.0,
                file_format: str = "pdf") -> Iterator[None]:
    """Matplotlib settings for figures in a paper, for the duration of the block.

    Parameters
    ----------
    font_size : float
        Base font size in points (journals ask for 5-8 pt at print size); titles are 1 pt larger, tick labels and
        legends 1 pt smaller.
    line_width : float
        Width of plotted lines in points (axes and ticks are 3/4 of it).
    dpi : float
        Resolution of raster files (PNG); vector files (PDF, SVG) are resolution-free.
    file_format : {"pdf", "svg", "png"}
        The format of a file saved without a suffix.

    Notes
    -----
    Fonts are embedded as TrueType in PDF (``pdf.fonttype = 42``) and kept as text in SVG
    (``svg.fonttype = "none"``), so labels remain editable; the top and right spines are hidden. Give the figure
    its printed size (:func:`size`) so that the font sizes are the printed ones.
    """
    from matplotlib import rc_context  # only publication output needs matplotlib here

    with rc_context(publication_rc(font_size, line_width, dpi, file_format)):
        yield
