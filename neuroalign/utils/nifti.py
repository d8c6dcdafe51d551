"""NIfTI images as the fMRI loaders and the searchlight both read them (base layer: the analysis engines check a
recording's voxels against a mask without importing the dataset layer)."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

Image = Any  # a nibabel image or a path to one


def load_image(img: Image) -> tuple[Any, str]:
    """``(image, name)``: the image (loaded with nibabel from a path) and its file name for messages."""
    import nibabel as nib  # heavy optional dependency (the fmri extra): loaded only when an image is read

    if isinstance(img, (str, os.PathLike)):
        return nib.load(os.fspath(img)), os.fspath(img)
    return img, getattr(img, "get_filename", lambda: None)() or "<in-memory image>"


def voxel_indices(mask: Image) -> np.ndarray:
    """Flat (C-order) indices into the 3-D grid of the voxels inside ``mask``, in masker order."""
    image, _ = load_image(mask)
    return np.flatnonzero(np.asarray(image.dataobj).astype(bool).ravel(order="C"))
