"""NIfTI series with a mask or an atlas: grid checks and masked voxel time series (nilearn maskers)."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from neuroalign.errors import DataFormatError
from neuroalign.errors.adapters import GridMismatchError
from neuroalign.utils.nifti import Image, voxel_indices  # noqa: F401  (re-exported: the loaders' public name)
from neuroalign.utils.nifti import load_image as _load


def check_same_grid(img: Image, reference: Image, *, what: str = "mask", atol: float = 1e-3) -> None:
    """Raise :class:`GridMismatchError` unless ``img`` (3-D or 4-D) and ``reference`` share shape and affine.

    The error names the image file, the field (``shape`` or ``affine``) and both values.
    """
    image, image_name = _load(img)
    ref, ref_name = _load(reference)
    if tuple(image.shape[:3]) != tuple(ref.shape[:3]):
        raise GridMismatchError(image_name, "shape", f"spatial shape {tuple(image.shape[:3])} does not match the "
                                                     f"{what} {ref_name} of shape {tuple(ref.shape[:3])}")
    if not np.allclose(image.affine, ref.affine, atol=atol):
        raise GridMismatchError(image_name, "affine", f"voxel-to-world affine differs from the {what} {ref_name}'s:"
                                                      f"\n{image.affine}\nversus\n{ref.affine}")


def check_binary_mask(mask: Image) -> None:
    """Raise :class:`DataFormatError` unless ``mask`` holds at most two values, one of them 0.

    nilearn keeps every non-zero voxel of any mask, so a probability map (grey matter, an ROI's probability)
    would silently become "everything above 0".
    """
    image, name = _load(mask)
    values = np.unique(np.asarray(image.dataobj))
    if values.size > 2 or (values.size == 2 and values[0] != 0):
        shown = values[:6].tolist()
        raise DataFormatError(name, "values", f"a mask holds 0 and one other value; this one has {values.size} "
                                              f"values ({shown}{' ...' if values.size > 6 else ''}). Threshold it "
                                              "first, e.g. nilearn.image.binarize_img(mask, threshold=0.5)")
    if values.size == 1 and values[0] == 0:
        raise DataFormatError(name, "values", "the mask is empty (all zeros)")


def masked_series(img: Image, mask: Image) -> np.ndarray:
    """Voxel time series inside ``mask``: an ``(n_volumes, n_voxels)`` array (a NiftiMasker, no cleaning).

    Raises
    ------
    GridMismatchError
        If the series and the mask are not on the same grid (checked before any data are read).
    DataFormatError
        If the mask is not binary, or the series is not 4-D.
    """
    from nilearn.maskers import NiftiMasker

    check_same_grid(img, mask)
    check_binary_mask(mask)
    series, name = _load(img)
    if series.ndim != 4:
        raise DataFormatError(name, "shape", f"expected a 4-D series (x, y, z, volume); got shape {series.shape}")
    return NiftiMasker(mask_img=_load(mask)[0], standardize=None).fit().transform(series)


def roi_masks(atlas: Image, labels: Mapping[str, int], *, mask: Image | None = None) -> dict[str, Any]:
    """Binary ROI masks from a label atlas (``atlas == label``), optionally intersected with a brain mask.

    Parameters
    ----------
    atlas : image or path
        A 3-D integer label image.
    labels : mapping of str to int
        ROI name -> atlas label value.
    mask : image or path, optional
        A brain mask on the same grid.

    Raises
    ------
    GridMismatchError
        If ``mask`` is not on the atlas' grid.
    DataFormatError
        If a label value does not occur in the atlas (or not inside the mask).
    """
    from nilearn.image import new_img_like

    image, name = _load(atlas)
    values = np.asarray(image.dataobj)
    inside = np.ones(values.shape[:3], dtype=bool)
    if mask is not None:
        check_same_grid(mask, atlas, what="atlas")
        inside = np.asarray(_load(mask)[0].dataobj).astype(bool)
    out = {}
    for roi, label in labels.items():
        region = (values == label) & inside
        if not region.any():
            raise DataFormatError(name, f"label {label}", f"ROI {roi!r} has no voxel with this label"
                                                          + (" inside the mask" if mask is not None else ""))
        out[roi] = new_img_like(image, region.astype(np.uint8), copy_header=True)
    return out
