"""A brain map (a searchlight, an encoding model's voxel scores) drawn by nilearn on an anatomy.

The anatomy is the subject's own image (for a map in the subject's space: e.g. the mean functional image, as the
Haxby slice has no anatomical scan) or, by default, the MNI152 template that ships inside nilearn (no download),
for maps in MNI space.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from neuroalign.errors.applications import PlotInputError
from neuroalign.report.plots._axes import new_figure, plain

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The ``gid`` of the peak markers.
PEAK_GID = "map-peak"


def _image(img: Any, what: str) -> Any:
    import nibabel as nib

    if isinstance(img, nib.spatialimages.SpatialImage):
        return img
    try:
        return nib.load(str(img))
    except (OSError, nib.filebasedimages.ImageFileError) as error:
        raise PlotInputError(f"cannot read the {what} {img!r} as a NIfTI image: {error}") from error


def plot_brain_map(stat_img: Any, *, bg_img: Any = None, threshold: float | None = 1e-6, vmin: float | None = None,
                   vmax: float | None = None, cmap: str = "RdBu_r", figsize: tuple[float, float] = (7.0, 4.2),
                   display_mode: str | None = None, cut_coords: Any = None, peaks: Sequence[Sequence[float]] = (),
                   label: str = "value", title: str | None = None) -> "Figure":
    """Draw a statistical map over an anatomy with :func:`nilearn.plotting.plot_stat_map`.

    Parameters
    ----------
    stat_img : Niimg-like
        The map (e.g. :meth:`SearchlightResult.to_img`); NaN voxels (no value) are left transparent.
    bg_img : Niimg-like, optional
        The anatomy under the map: the subject's own image for a map in the subject's space (a structural scan,
        or the mean functional image); by default nilearn's bundled MNI152 template (maps in MNI space).
    threshold : float, optional
        Voxels with ``|value| <= threshold`` are transparent (by default only exact zeros and NaNs).
    vmin, vmax : float, optional
        The colour scale (by default symmetric around 0 over the map's range); fix it so that maps compare.
    cmap : str
        Colour map (diverging by default: the sign of a correlation reads at a glance).
    figsize : (float, float)
        Size of the figure, in inches.
    display_mode : str, optional
        nilearn's cuts (``"ortho"``, ``"z"``, ``"x"``, ``"y"``, ``"mosaic"``...). A single-slice map (one voxel
        thick, like the Haxby slice) is drawn as its one axial cut by default, a volume as three orthogonal cuts.
    cut_coords : optional
        Where to cut, in mm (nilearn's convention); by default the single slice, or the map's peak.
    peaks : sequence of (x, y, z)
        Points to mark (in mm), e.g. the peak of the map (markers with gid :data:`PEAK_GID`).
    label : str
        The colour bar's label (the map's measure).
    title : str, optional
        The title (``"Map"`` by default).

    Returns
    -------
    matplotlib.figure.Figure
        nilearn's cut axes, then the colour bar's axes (titled with ``label``).

    Raises
    ------
    PlotInputError
        For a map or anatomy that is not a 3-D image (or a file that cannot be read).
    """
    import nibabel as nib
    from nilearn import plotting  # heavy: imported when a map is drawn

    stat = _image(stat_img, "map")
    data = np.asarray(stat.dataobj, dtype=np.float64)
    if data.ndim == 4 and data.shape[3] == 1:
        data = data[..., 0]
    if data.ndim != 3:
        raise PlotInputError(f"a brain map is one 3-D image; got shape {data.shape}")
    finite = np.isfinite(data)
    if not finite.any():
        raise PlotInputError("the map has no finite value to draw")
    # NaN (no value) becomes 0, which nilearn's threshold makes transparent: 0 would read as a real value otherwise
    stat = nib.Nifti1Image(np.where(finite, data, 0.0), stat.affine)
    single = data.shape[2] == 1
    mode = display_mode or ("z" if single else "ortho")
    if cut_coords is None and single:
        cut_coords = [float((stat.affine @ [0, 0, 0, 1])[2])]
    if vmin is None and vmax is None:
        bound = float(np.abs(data[finite]).max())
        vmin, vmax = -bound, bound
    fig = new_figure(figsize)
    fig.set_layout_engine(None)  # nilearn places its own axes
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    background = None if bg_img is None else _image(bg_img, "anatomy")
    options = {} if background is None else {"bg_img": background}
    display = plotting.plot_stat_map(stat, display_mode=mode, cut_coords=cut_coords, figure=fig, axes=ax,
                                     threshold=threshold, vmin=vmin, vmax=vmax, cmap=cmap, colorbar=True,
                                     draw_cross=False, black_bg=False, title=plain(title or "Map"), **options)
    if peaks:
        display.add_markers([list(map(float, p)) for p in peaks], marker_color="black", marker_size=60)
        for axes in fig.axes:
            for collection in axes.collections[-1:]:
                collection.set_gid(PEAK_GID)
    colorbar = fig.axes[-1]
    colorbar.set_title(plain(label), fontsize="small")  # above the bar: nilearn leaves no room beside it
    return fig
