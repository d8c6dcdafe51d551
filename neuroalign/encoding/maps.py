"""Per-target results as maps: voxels back to a NIfTI image through the dataset's masker, sensors as an MNE
``Evoked`` topography.

A voxel-wise result (held-out r, R^2, a ceiling, a unique variance) is a vector in the masker's voxel order; the
masker that extracted the voxels puts it back on the scanner grid (zeros outside the mask), so any viewer opens
it. A sensor-wise result becomes an :class:`mne.EvokedArray` whose channels are the recording's, so
``evoked.plot_topomap(times=0)`` draws it with the montage (one "time" per map, ``nave=1``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from neuroalign.errors import ShapeMismatchError

__all__ = ["to_evoked", "to_nifti"]


def _maps(values: Any, n: int, what: str) -> np.ndarray:
    array = np.atleast_2d(np.asarray(values, dtype=np.float64))
    if array.shape[-1] != n:
        raise ShapeMismatchError(f"{what}: expected {n} values per map (one per {what.split()[-1]}); got "
                                 f"{array.shape[-1]}")
    return array


def to_nifti(values: Any, masker: Any, path: str | os.PathLike[str] | None = None) -> Any:
    """A NIfTI image of per-voxel values, through the (fitted) nilearn masker that extracted the voxels.

    Parameters
    ----------
    values : array_like, shape (n_voxels,) or (n_maps, n_voxels)
        In the masker's voxel order (the columns of the recording).
    masker : nilearn NiftiMasker (fitted)
        For example ``load_dataset("haxby2001_subj1_slice").masker()``.
    path : path-like, optional
        Where to write the image (``.nii`` or ``.nii.gz``); written to a temporary name and renamed, so a failed
        write leaves no partial file.

    Returns
    -------
    nibabel.Nifti1Image
        3-D for one map, 4-D for several.
    """
    n = int(masker.n_elements_)
    array = _maps(values, n, "to_nifti: per-voxel values for voxel")
    image = masker.inverse_transform(array[0] if np.ndim(values) == 1 else array)
    if path is not None:
        target = Path(path)
        partial = target.with_name(f".{target.name}.partial{''.join(target.suffixes)}")
        try:
            image.to_filename(str(partial))
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return image


def to_evoked(values: Any, info: Any, *, comment: str = "") -> Any:
    """An :class:`mne.EvokedArray` of per-sensor values (one "time point" per map) for topographic plots.

    Parameters
    ----------
    values : array_like, shape (n_channels,) or (n_maps, n_channels)
        In the order of ``info["ch_names"]``.
    info : mne.Info
        The recording's measurement info (channel names, types and positions).
    comment : str
        Shown by MNE (what the values are, e.g. ``"held-out r"``).
    """
    import mne  # heavy: only for topographies

    array = _maps(values, len(info["ch_names"]), "to_evoked: per-sensor values for channel")
    return mne.EvokedArray(array.T, info, tmin=0.0, nave=1, comment=comment)
