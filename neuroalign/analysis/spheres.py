"""Searchlight spheres: the mask voxels within a radius (mm) of each centre, built with nilearn."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse

from neuroalign.errors import SearchlightCentreError


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


#: ``unit`` values: millimetres through the mask's affine (nilearn), or voxel indices (rsatoolbox).
UNITS = ("mm", "voxels")


def sphere_neighbourhoods(mask_img: Any, radius: float, centres: Any = None, *, min_voxels: int = 2,
                          unit: str = "mm", include_boundary: bool = True,
                          min_mask_fraction: float | None = None) -> tuple[np.ndarray, scipy.sparse.csr_matrix]:
    """The mask voxels inside a sphere around each centre.

    By default a sphere holds the mask voxels at a world distance ``<= radius`` mm from its centre (nilearn's
    rule). rsatoolbox's ``get_volume_searchlight`` counts in voxel indices and excludes the boundary: pass
    ``unit="voxels", include_boundary=False`` (and ``min_mask_fraction=1.0`` for its default ``threshold``) to get
    its spheres. The same number means different spheres: radius 2 holds 27 voxels of a full grid under
    rsatoolbox's rule and 33 under ``unit="voxels"`` with the boundary (docs/statistics.md gives the mapping).

    Parameters
    ----------
    mask_img : Niimg-like
        A 3-D mask; its voxels, in masker (C) order, are the searchlight's channels.
    radius : float
        Sphere radius, in mm (world coordinates of the mask's affine) or in voxels (see ``unit``).
    centres : array_like of int, shape (n_centres, 3), optional
        Voxel (i, j, k) coordinates of the centres; every mask voxel by default.
    min_voxels : int
        Fewest voxels a sphere may hold (2 for a correlation over voxels).
    unit : {"mm", "voxels"}
        ``"mm"``: distances between voxel centres in world coordinates. ``"voxels"``: distances between voxel
        indices, whatever the voxel size (rsatoolbox's rule; on anisotropic voxels a "sphere" is then an
        ellipsoid in mm).
    include_boundary : bool
        Whether a voxel at distance exactly ``radius`` belongs to the sphere (``<=``, nilearn) or not (``<``,
        rsatoolbox).
    min_mask_fraction : float, optional
        Keep only the centres whose sphere over the whole grid (every voxel within the radius, cut at the image's
        edges) lies at least this fraction inside the mask: rsatoolbox's ``threshold`` (its default is 1.0).
        ``None`` keeps every centre. The spheres themselves hold mask voxels only either way (the recording has no
        others).

    Returns
    -------
    centres : ndarray of int, shape (n_centres, 3)
        The centres' voxel coordinates.
    spheres : scipy.sparse.csr_matrix of bool, shape (n_centres, n_mask_voxels)
        ``spheres[c, v]`` is True when mask voxel ``v`` lies within ``radius`` of centre ``c``.

    Raises
    ------
    SearchlightCentreError
        A centre outside the grid or the mask, a non-positive radius, an unknown ``unit``, a
        ``min_mask_fraction`` outside (0, 1] or one that no centre meets, or a sphere with fewer than
        ``min_voxels`` mask voxels (the error lists the centres).
    """
    image, inside = _mask_array(mask_img)
    if not (np.isfinite(radius) and radius > 0):
        raise SearchlightCentreError(f"radius must be a positive number of {unit}; got {radius!r}")
    if unit not in UNITS:
        raise SearchlightCentreError(f"unit must be one of {UNITS}; got {unit!r}")
    if min_mask_fraction is not None and not 0 < min_mask_fraction <= 1:
        raise SearchlightCentreError(f"min_mask_fraction must lie in (0, 1]; got {min_mask_fraction!r}")
    ijk = _centres(inside, centres)
    if unit == "mm" and include_boundary and min_mask_fraction is None:
        spheres = _nilearn_spheres(image, ijk, radius)
    else:
        offsets = _ball_offsets(image.affine[:3, :3] if unit == "mm" else np.eye(3), radius, include_boundary)
        if min_mask_fraction is not None:
            ijk = _mostly_inside(inside, ijk, offsets, min_mask_fraction, radius, unit)
        spheres = _offset_spheres(inside, ijk, offsets)
    sizes = np.diff(spheres.indptr)
    small = sizes < min_voxels
    if small.any():
        raise SearchlightCentreError(f"every searchlight sphere must hold at least {min_voxels} mask voxels; "
                                     f"{small.sum()} centres have fewer at radius {radius} {unit}: "
                                     f"{ijk[small][:5].tolist()}")
    return ijk, spheres


def _centres(inside: np.ndarray, centres: Any) -> np.ndarray:
    """Validated centre coordinates (every mask voxel by default)."""
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
    return ijk


def _nilearn_spheres(image: Any, ijk: np.ndarray, radius: float) -> scipy.sparse.csr_matrix:
    """nilearn's spheres: mask voxels within ``radius`` mm (boundary included) of each centre."""
    from nibabel.affines import apply_affine
    from nilearn.maskers.nifti_spheres_masker import apply_mask_and_get_affinity

    _, affinity = apply_mask_and_get_affinity(apply_affine(image.affine, ijk), None, float(radius), True,
                                              mask_img=image)
    spheres = scipy.sparse.csr_matrix(affinity, dtype=bool)
    spheres.sort_indices()
    return spheres


def _ball_offsets(scale: np.ndarray, radius: float, include_boundary: bool) -> np.ndarray:
    """``(n, 3)`` integer voxel offsets whose length under ``scale`` (voxel -> unit) is within ``radius``.

    On a regular grid every sphere is its centre plus the same offsets. In voxel units the squared lengths are
    integers, so the boundary test is exact.
    """
    # The box of offsets that can reach the radius: |offset_k| <= radius * ||row k of scale^-1||.
    reach = np.floor(radius * np.linalg.norm(np.linalg.inv(scale), axis=1)).astype(int) + 1
    grid = np.stack(np.meshgrid(*(np.arange(-r, r + 1) for r in reach), indexing="ij"), axis=-1).reshape(-1, 3)
    squared = ((grid @ scale.T) ** 2).sum(axis=1)
    within = squared <= radius**2 if include_boundary else squared < radius**2
    return grid[within]


#: Centres per block when spheres are built from offsets (bounds the ``centres x offsets`` index arrays).
_CENTRE_BLOCK = 4096
_OFF_GRID, _OUTSIDE = -2, -1


def _offset_positions(inside: np.ndarray, ijk: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """``(n_centres, n_offsets)`` mask-voxel position at ``centre + offset`` (C order), or ``_OUTSIDE`` for a grid
    voxel outside the mask, or ``_OFF_GRID`` beyond the image's edge."""
    pad = np.abs(offsets).max(axis=0)
    position = np.full(tuple(np.asarray(inside.shape) + 2 * pad), _OFF_GRID)
    core = tuple(slice(p, p + n) for p, n in zip(pad, inside.shape))
    position[core] = np.where(inside, 0, _OUTSIDE)
    position[core][inside] = np.arange(int(inside.sum()))
    blocks = []
    for start in range(0, len(ijk), _CENTRE_BLOCK):
        points = ijk[start:start + _CENTRE_BLOCK, None, :] + (offsets + pad)[None, :, :]
        blocks.append(position[points[..., 0], points[..., 1], points[..., 2]])
    return np.concatenate(blocks)


def _offset_spheres(inside: np.ndarray, ijk: np.ndarray, offsets: np.ndarray) -> scipy.sparse.csr_matrix:
    """Mask voxels at ``centre + offset`` for each centre, as rows over the mask voxels in C order."""
    index = _offset_positions(inside, ijk, offsets)
    rows, cols = np.nonzero(index >= 0)
    spheres = scipy.sparse.csr_matrix((np.ones(rows.size, bool), (rows, index[rows, cols])),
                                      shape=(len(ijk), int(inside.sum())))
    spheres.sort_indices()
    return spheres


def _mostly_inside(inside: np.ndarray, ijk: np.ndarray, offsets: np.ndarray, fraction: float, radius: float,
                   unit: str) -> np.ndarray:
    """The centres whose sphere over the grid (cut at the image's edges) lies ``>= fraction`` inside the mask."""
    index = _offset_positions(inside, ijk, offsets)
    share = (index >= 0).sum(axis=1) / (index != _OFF_GRID).sum(axis=1)  # as rsatoolbox: mean of the mask >= t
    keep = share >= fraction
    if not keep.any():
        raise SearchlightCentreError(f"no searchlight centre has a sphere of radius {radius} {unit} at least "
                                     f"{fraction:g} inside the mask; lower min_mask_fraction or the radius")
    return ijk[keep]
