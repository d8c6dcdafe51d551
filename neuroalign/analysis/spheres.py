"""Searchlight spheres: the mask voxels within a radius (mm) of each centre, built with nilearn."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse

from neuroalign.analysis.errors import SearchlightCentreError


def _mask_array(mask_img: Any) -> tuple[Any, np.ndarray]:
    from nilearn.image import load_img

    image = load_img(mask_img)
    data = np.asarray(image.dataobj)
    if data.ndim != 3:
        raise SearchlightCentreError(f"the searchlight mask must be a 3-D image; got shape {data.shape}")
    return image, data.astype(bool)


def mask_voxels(mask_img: Any) -> np.ndarray:
    """Voxel coordinates of a mask's voxels, in masker (C) order.

    Parameters
    ----------
    mask_img : Niimg-like
        A 3-D mask.

    Returns
    -------
    ndarray of int, shape (n_voxels, 3)
        The (i, j, k) coordinates, in the order of the recording channels the fMRI loaders give.
    """
    return np.argwhere(_mask_array(mask_img)[1])


def sphere_neighbourhoods(mask_img: Any, radius: float, centres: Any = None, *,
                          min_voxels: int = 2) -> tuple[np.ndarray, scipy.sparse.csr_matrix]:
    """The mask voxels inside a sphere around each centre.

    Parameters
    ----------
    mask_img : Niimg-like
        A 3-D mask; its voxels, in masker (C) order, are the searchlight's channels.
    radius : float
        Sphere radius in mm (world coordinates of the mask's affine).
    centres : array_like of int, shape (n_centres, 3), optional
        Voxel (i, j, k) coordinates of the centres; every mask voxel by default.
    min_voxels : int
        Fewest voxels a sphere may hold (2 for a correlation over voxels).

    Returns
    -------
    centres : ndarray of int, shape (n_centres, 3)
        The centres' voxel coordinates.
    spheres : scipy.sparse.csr_matrix of bool, shape (n_centres, n_mask_voxels)
        ``spheres[c, v]`` is True when mask voxel ``v`` lies within ``radius`` of centre ``c``.

    Raises
    ------
    SearchlightCentreError
        A centre outside the grid or the mask, a non-positive radius, or a sphere with fewer than
        ``min_voxels`` mask voxels (the error lists the centres).
    """
    from nibabel.affines import apply_affine
    from nilearn.maskers.nifti_spheres_masker import apply_mask_and_get_affinity

    image, inside = _mask_array(mask_img)
    if not (np.isfinite(radius) and radius > 0):
        raise SearchlightCentreError(f"radius must be a positive number of mm; got {radius!r}")
    if centres is None:
        ijk = np.argwhere(inside)
    else:
        ijk = np.asarray(centres)
        if ijk.ndim != 2 or ijk.shape[1] != 3 or not np.issubdtype(ijk.dtype, np.integer):
            raise SearchlightCentreError(f"centres must be integer voxel coordinates of shape (n, 3); got "
                                         f"{ijk.dtype} of shape {ijk.shape}")
        off_grid = ((ijk < 0) | (ijk >= np.asarray(inside.shape))).any(axis=1)
        outside = off_grid.copy()
        outside[~off_grid] = ~inside[tuple(ijk[~off_grid].T)]
        if outside.any():
            raise SearchlightCentreError(f"searchlight centres must lie inside the mask; "
                                         f"{outside.sum()} do not: {ijk[outside][:5].tolist()}")
    if len(ijk) == 0:
        raise SearchlightCentreError("there are no searchlight centres (the mask is empty)")
    seeds = apply_affine(image.affine, ijk)
    _, affinity = apply_mask_and_get_affinity(seeds, None, float(radius), True, mask_img=image)
    spheres = scipy.sparse.csr_matrix(affinity, dtype=bool)
    spheres.sort_indices()
    sizes = np.diff(spheres.indptr)
    small = sizes < min_voxels
    if small.any():
        raise SearchlightCentreError(f"every searchlight sphere must hold at least {min_voxels} mask voxels; "
                                     f"{small.sum()} centres have fewer at radius {radius} mm: "
                                     f"{ijk[small][:5].tolist()}")
    return ijk, spheres
