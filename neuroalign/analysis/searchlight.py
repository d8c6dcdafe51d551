"""fMRI searchlight RSA: spheres of a radius in mm within a mask, results written back as NIfTI images."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.compare import DEFAULT_COMPARATOR
from neuroalign.analysis.neighbourhoods import neighbourhood_rsa
from neuroalign.analysis.spheres import sphere_neighbourhoods
from neuroalign.core.recording import Recording
from neuroalign.errors import ShapeMismatchError
from neuroalign.utils.docs import fill_doc
from neuroalign.utils.nifti import voxel_indices
from neuroalign.utils.renamed import renamed_keywords


@dataclass(frozen=True)
class SearchlightResult:
    """Searchlight comparison values and where they belong.

    Attributes
    ----------
    values : ndarray, shape (n_models, n_centres) or (n_models, n_centres, n_times)
        ``values[m, c]`` compares model RDM ``m`` with the RDM of sphere ``c``.
    centres : ndarray of int, shape (n_centres, 3)
        Voxel coordinates of the sphere centres.
    sizes : ndarray of int, shape (n_centres,)
        Voxels per sphere.
    mask_img : nibabel image
        The mask that defines the grid.
    """

    values: np.ndarray
    centres: np.ndarray
    sizes: np.ndarray
    mask_img: Any

    def to_img(self, fill: float = 0.0) -> Any:
        """The values as a NIfTI image on the mask's grid.

        Parameters
        ----------
        fill : float
            Value of the voxels that are no centre.

        Returns
        -------
        nibabel.Nifti1Image
            3-D for one model (and no time axis), otherwise 4-D with one volume per model (and time point,
            model-major).
        """
        from nilearn.image import new_img_like

        flat = self.values.reshape(self.values.shape[0], len(self.centres), -1)
        volumes = flat.transpose(0, 2, 1).reshape(-1, len(self.centres))
        grid = np.full(self.mask_img.shape[:3] + (len(volumes),), fill, dtype=np.float64)
        grid[tuple(self.centres.T)] = volumes.T
        return new_img_like(self.mask_img, grid[..., 0] if len(volumes) == 1 else grid, copy_header=False)


def _check_channels(recording: Recording, mask_img: Any) -> None:
    expected = voxel_indices(mask_img)
    channels = np.asarray(recording.channels)
    if channels.shape != expected.shape or not np.array_equal(channels, expected):
        raise ShapeMismatchError(f"a searchlight recording's channels must be the mask's {len(expected)} voxels "
                                 f"(flat C-order indices, as the fMRI loaders give them); got {len(channels)} "
                                 f"channels that differ")


@fill_doc
@renamed_keywords(method="comparator")
def searchlight_rsa(recording: Recording, mask_img: Any, model_rdms: Any, *, radius: float = 6.0,
                    distance: Any = "correlation", comparator: str = DEFAULT_COMPARATOR, centres: Any = None,
                    spheres: Any = None, batch_size: int = 2048, unit: str = "mm", include_boundary: bool = True,
                    min_mask_fraction: float | None = None, **rdm_options: Any) -> SearchlightResult:
    """Searchlight RSA over spheres of ``radius`` mm in a mask, batched over many spheres per engine call.

    Spheres are grouped by their voxel count; each group (in batches of ``batch_size`` spheres) is one batched
    :func:`~neuroalign.rdm.compute_rdms` call and one many-vs-many :func:`~neuroalign.compare.compare` call
    (see :func:`~neuroalign.analysis.neighbourhood_rsa`).

    Parameters
    ----------
    recording : Recording
        Patterns over the mask's voxels (channels: flat C-order voxel indices, as the fMRI loaders give them).
        Runs feed cross-validated distances; a time axis gives a searchlight over time.
    mask_img : Niimg-like
        The 3-D mask the recording's voxels come from.
    model_rdms : RDMs or array_like, shape (n_pairs,) or (n_models, n_pairs)
        ``RDMs`` are matched by stimulus id; arrays must follow the recording's stimulus order.
    radius : float
        Sphere radius in mm (or voxels, see ``unit``).
    distance : str or Distance
        Any distance of :func:`neuroalign.rdm.compute_rdms` (without ``noise``: each sphere would need its own).
    %(comparator)s
    centres : array_like of int, shape (n_centres, 3), optional
        Voxel coordinates of the centres; every mask voxel by default.
    spheres : (centres, neighbourhoods), optional
        The output of :func:`~neuroalign.analysis.sphere_neighbourhoods` for this mask and radius, computed once
        and reused when several recordings or models share a mask (``radius`` and ``centres`` are then ignored).
    batch_size : int
        Most spheres per engine call (bounds memory).
    unit, include_boundary, min_mask_fraction
        The sphere rule, as for :func:`~neuroalign.analysis.sphere_neighbourhoods`: by default mask voxels within
        ``radius`` mm, boundary included (nilearn); ``unit="voxels", include_boundary=False,
        min_mask_fraction=1.0`` gives rsatoolbox's ``get_volume_searchlight`` spheres and centres.
    **rdm_options
        Passed to :func:`~neuroalign.rdm.compute_rdms` (``normalize``, ``device``, ``dtype``); ``progress`` shows a
        progress bar over the batches (by default only when stderr is a terminal).

    Returns
    -------
    SearchlightResult
        Use :meth:`SearchlightResult.to_img` for a NIfTI image.

    Raises
    ------
    SearchlightCentreError
        A centre outside the mask, or a sphere with fewer than 2 voxels.
    ShapeMismatchError
        The recording's channels are not the mask's voxels.
    """
    from nilearn.image import load_img

    mask = load_img(mask_img)
    _check_channels(recording, mask)
    if spheres is None:
        spheres = sphere_neighbourhoods(mask, radius, centres, unit=unit, include_boundary=include_boundary,
                                        min_mask_fraction=min_mask_fraction)
    ijk, spheres = spheres
    values = neighbourhood_rsa(recording, spheres, model_rdms, distance=distance, comparator=comparator,
                               batch_size=batch_size, name=lambda k: f"the sphere at voxel {tuple(ijk[k].tolist())}",
                               **rdm_options)
    return SearchlightResult(values=values if recording.has_time else values[..., 0], centres=ijk,
                             sizes=np.diff(spheres.indptr), mask_img=mask)
