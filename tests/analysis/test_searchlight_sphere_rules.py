"""Searchlight sphere rules: nilearn's (mm, boundary included) and rsatoolbox's (voxels, boundary excluded)."""

from __future__ import annotations

import contextlib
import io

import nibabel as nib
import numpy as np
import pytest

from neuroalign.analysis import SearchlightCentreError, mask_voxels, searchlight_rsa, sphere_neighbourhoods

DATASET = "haxby2001_subj1_slice"


def _rsatoolbox_searchlight(mask, radius, threshold, truncate):
    from rsatoolbox.util.searchlight import get_volume_searchlight

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):  # tqdm, print
        return get_volume_searchlight(mask, radius=radius, threshold=threshold, truncate_at_boundary=truncate)


def _flat(mask_img, ijk, spheres):
    """Centres and spheres as flat C-order indices into the volume, as rsatoolbox returns them, sorted by centre."""
    shape = mask_img.shape[:3]
    voxels = np.ravel_multi_index(mask_voxels(mask_img).T, shape)
    centres = np.ravel_multi_index(ijk.T, shape)
    order = np.argsort(centres)
    return centres[order], [voxels[spheres[k].indices] for k in order]


def _assert_same_as_rsatoolbox(mask_img, radius, threshold, truncate, **ours):
    mask = np.asarray(mask_img.dataobj).astype(bool)
    centres, neighbours = _rsatoolbox_searchlight(mask, radius, threshold, truncate)
    ijk, spheres = sphere_neighbourhoods(mask_img, radius, unit="voxels", include_boundary=False, min_voxels=1,
                                         **ours)
    ours_centres, ours_spheres = _flat(mask_img, ijk, spheres)
    order = np.argsort(centres)
    np.testing.assert_array_equal(ours_centres, centres[order])
    for mine, theirs in zip(ours_spheres, (neighbours[k] for k in order)):
        # without truncation rsatoolbox's spheres also hold non-mask voxels, which a masked recording does not have
        np.testing.assert_array_equal(mine, np.sort(theirs[mask.ravel()[theirs]]))
    return np.diff(spheres.indptr)


@pytest.mark.realdata
@pytest.mark.parametrize("radius", [1.5, 2, 3, 4.2])
def test_rsatoolbox_rule_reproduces_get_volume_searchlight_on_the_haxby_mask(data_mirror, radius):
    """Its default (threshold 1.0: centres whose whole sphere lies in the mask), and every centre with truncation."""
    mask_img = nib.load(data_mirror / DATASET / "mask.nii.gz")
    full = _assert_same_as_rsatoolbox(mask_img, radius, 1.0, False, min_mask_fraction=1.0)
    truncated = _assert_same_as_rsatoolbox(mask_img, radius, 0.0, True)
    assert len(truncated) == 530 and len(full) < 530
    assert _assert_same_as_rsatoolbox(mask_img, radius, 0.6, False, min_mask_fraction=0.6).size >= len(full)


def test_same_number_different_spheres_and_the_mm_mapping():
    """27 voxels under rsatoolbox's rule at radius 2, 33 with the boundary; 3 mm voxels: radius 2 = 5.2 to 6 mm."""
    affine = np.diag([3.0, 3.0, 3.0, 1.0])
    mask_img = nib.Nifti1Image(np.ones((9, 9, 9), dtype=np.uint8), affine)
    centre = np.array([[4, 4, 4]])
    sizes = {rule: sphere_neighbourhoods(mask_img, 2, centre, unit="voxels", include_boundary=rule)[1].nnz
             for rule in (False, True)}
    assert sizes == {False: 27, True: 33}
    _assert_same_as_rsatoolbox(mask_img, 2, 0.0, True)
    _, theirs = sphere_neighbourhoods(mask_img, 2, unit="voxels", include_boundary=False)
    for radius_mm in (5.2, 5.99):  # sqrt(3) * 3 <= r < 2 * 3: the squared voxel distances 0..3 and no more
        _, ours = sphere_neighbourhoods(mask_img, radius_mm)  # the default: mm, boundary included (nilearn)
        assert (ours != theirs).nnz == 0
    assert (sphere_neighbourhoods(mask_img, 6.0)[1] != theirs).nnz > 0  # 6 mm reaches the 6 voxels at distance 2


def test_mm_rule_without_the_boundary_uses_world_distances():
    affine = np.diag([2.0, 3.0, 4.0, 1.0])  # anisotropic: voxel and mm rules differ
    mask_img = nib.Nifti1Image(np.ones((7, 7, 7), dtype=np.uint8), affine)
    centre = np.array([[3, 3, 3]])
    ijk = mask_voxels(mask_img)
    distance = np.linalg.norm((ijk - centre) * [2.0, 3.0, 4.0], axis=1)
    for include in (True, False):
        _, sphere = sphere_neighbourhoods(mask_img, 4.0, centre, include_boundary=include)
        expected = np.flatnonzero(distance <= 4.0 if include else distance < 4.0)
        np.testing.assert_array_equal(sphere.indices, expected)


def test_searchlight_rsa_takes_the_rule(data_mirror):
    from neuroalign.datasets import load_dataset

    recording, = load_dataset(DATASET, mirror=data_mirror).recordings()
    mask_img = nib.load(data_mirror / DATASET / "mask.nii.gz")
    models = np.random.default_rng(0).random((2, 28))
    ours = searchlight_rsa(recording, mask_img, models, radius=2, unit="voxels", include_boundary=False,
                           min_mask_fraction=1.0)
    given = searchlight_rsa(recording, mask_img, models,
                            spheres=sphere_neighbourhoods(mask_img, 2, unit="voxels", include_boundary=False,
                                                          min_mask_fraction=1.0))
    assert ours.values.shape == (2, 452) and set(ours.sizes) == {6, 9}  # 6 at the edges of the image
    np.testing.assert_array_equal(ours.values, given.values)


@pytest.mark.parametrize(("options", "message"), [
    ({"unit": "cm"}, "unit must be one of"),
    ({"min_mask_fraction": 1.5}, r"min_mask_fraction must lie in \(0, 1\]"),
])
def test_bad_sphere_rules(options, message):
    mask_img = nib.Nifti1Image(np.ones((5, 5, 5), dtype=np.uint8), np.eye(4))
    with pytest.raises(SearchlightCentreError, match=message):
        sphere_neighbourhoods(mask_img, 2, **options)


def test_no_centre_meets_the_mask_fraction():
    inside = np.zeros((5, 5, 5), dtype=np.uint8)
    inside[2, :, 2] = 1  # a line: no sphere of radius 2 lies mostly inside it
    with pytest.raises(SearchlightCentreError, match="no searchlight centre has a sphere of radius 2 voxels"):
        sphere_neighbourhoods(nib.Nifti1Image(inside, np.eye(4)), 2, unit="voxels", min_mask_fraction=0.9)
