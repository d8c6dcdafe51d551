"""Volume searchlight on a small synthetic grid: a time axis gives one volume per time point."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from scipy.spatial.distance import pdist

from neuroalign.analysis import mask_voxels, searchlight_rsa
from neuroalign.compare import compare
from neuroalign.core.recording import Recording


def test_time_resolved_searchlight_to_4d_image():
    inside = np.zeros((4, 4, 3), dtype=bool)
    inside[1:4, 0:3, :] = True
    mask = nib.Nifti1Image(inside.astype(np.uint8), np.diag([2.0, 2.0, 2.0, 1.0]))
    rng = np.random.default_rng(0)
    n_voxels = int(inside.sum())
    data = rng.normal(size=(6, n_voxels, 4))
    rec = Recording(data, list("abcdef"), dims=("stimulus", "channel", "time"),
                    channels=np.flatnonzero(inside.ravel()), times=[0.0, 0.1, 0.2, 0.3])
    model = rng.random(15)
    result = searchlight_rsa(rec, mask, model, radius=2.5, distance="correlation", comparator="pearson")
    assert result.values.shape == (1, n_voxels, 4)
    ijk = mask_voxels(mask)
    for c in (0, 7, n_voxels - 1):
        near = np.flatnonzero(np.linalg.norm((ijk - ijk[c]) * 2.0, axis=1) <= 2.5)
        for t in range(4):
            direct = compare(model, pdist(data[:, near, t], "correlation"), "pearson")[0, 0]
            assert result.values[0, c, t] == pytest.approx(direct, abs=1e-12)
    img = result.to_img()
    assert img.shape == (4, 4, 3, 4)
    np.testing.assert_allclose(np.asarray(img.dataobj)[inside], result.values[0])
