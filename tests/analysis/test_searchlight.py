"""fMRI searchlight RSA on the real Haxby slice: per-sphere direct computations, NIfTI output, bad centres."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from scipy.spatial.distance import pdist

from neuroalign.analysis import SearchlightCentreError, mask_voxels, searchlight_rsa, sphere_neighbourhoods
from neuroalign.compare import compare
from neuroalign.core.recording import Recording
from neuroalign.datasets import load_dataset
from neuroalign.errors import ShapeMismatchError
from neuroalign.rdm import compute_rdms

pytestmark = pytest.mark.realdata
DATASET = "haxby2001_subj1_slice"


@pytest.fixture(scope="module")
def haxby(data_mirror):
    recording, = load_dataset(DATASET, mirror=data_mirror).recordings()
    return recording, nib.load(data_mirror / DATASET / "mask.nii.gz")


@pytest.fixture(scope="module")
def models():
    rng = np.random.default_rng(0)
    return rng.random((3, 28))  # 8 categories -> 28 pairs


def _sphere_voxels(mask, centre, radius):
    """Mask-voxel indices within ``radius`` mm of a centre, from world coordinates (independent of nilearn)."""
    ijk = mask_voxels(mask)
    xyz = nib.affines.apply_affine(mask.affine, ijk)
    here = nib.affines.apply_affine(mask.affine, np.asarray(centre)[None])
    return np.flatnonzero(np.linalg.norm(xyz - here, axis=1) <= radius)


def test_spheres_match_world_distances(haxby):
    _, mask = haxby
    centres, spheres = sphere_neighbourhoods(mask, 6.0)
    assert spheres.shape == (530, 530) and len(centres) == 530
    for c in np.random.default_rng(1).choice(530, 25, replace=False):
        np.testing.assert_array_equal(spheres[c].indices, _sphere_voxels(mask, centres[c], 6.0))


@pytest.mark.parametrize("method", ["spearman", "pearson"])
def test_correlation_searchlight_equals_direct_per_sphere(haxby, models, method):
    recording, mask = haxby
    result = searchlight_rsa(recording, mask, models, radius=6.0, distance="correlation", comparator=method)
    assert result.values.shape == (3, 530) and np.isfinite(result.values).all()
    mean = recording.data.mean(axis=0)  # correlation RDMs use the run-averaged patterns
    for c in np.random.default_rng(2).choice(530, 30, replace=False):
        voxels = _sphere_voxels(mask, result.centres[c], 6.0)
        assert result.sizes[c] == len(voxels)
        direct = compare(models, pdist(mean[:, voxels], "correlation"), method)[:, 0]
        np.testing.assert_allclose(result.values[:, c], direct, rtol=0, atol=1e-12)


def test_crossnobis_searchlight_equals_the_engine_per_sphere(haxby, models):
    recording, mask = haxby
    centres = mask_voxels(mask)[::53]
    result = searchlight_rsa(recording, mask, models[:1], distance="crossnobis", comparator="pearson", centres=centres)
    for c, centre in enumerate(centres):
        voxels = _sphere_voxels(mask, centre, 6.0)
        sphere = Recording(recording.data[:, :, voxels], recording.stimulus_ids, dims=recording.dims,
                           runs=recording.runs)
        direct = compare(models[:1], compute_rdms(sphere, "crossnobis").dissimilarities, "pearson")[0, 0]
        assert result.values[0, c] == pytest.approx(direct, abs=1e-12)


def test_result_as_nifti(haxby, models):
    recording, mask = haxby
    one = searchlight_rsa(recording, mask, models[0], comparator="pearson")
    img = one.to_img()
    assert img.shape == mask.shape and np.allclose(img.affine, mask.affine)
    inside = np.asarray(mask.dataobj).astype(bool)
    np.testing.assert_allclose(np.asarray(img.dataobj)[inside], one.values[0])
    assert (np.asarray(img.dataobj)[~inside] == 0).all()
    several = searchlight_rsa(recording, mask, models, comparator="pearson", batch_size=7).to_img()
    assert several.shape == mask.shape + (3,)
    np.testing.assert_allclose(np.asarray(several.dataobj)[..., 0][inside], one.values[0], atol=1e-12)


def test_centres_outside_the_mask_or_with_empty_spheres(haxby, models):
    recording, mask = haxby
    inside = np.asarray(mask.dataobj).astype(bool)
    outside = np.argwhere(~inside)[:1]
    with pytest.raises(SearchlightCentreError, match="must lie inside the mask; 1 do not"):
        searchlight_rsa(recording, mask, models, centres=outside)
    with pytest.raises(SearchlightCentreError, match="inside the mask"):
        searchlight_rsa(recording, mask, models, centres=np.array([[40, 0, 0]]))
    with pytest.raises(SearchlightCentreError, match="at least 2 mask voxels"):
        searchlight_rsa(recording, mask, models, radius=1.0, centres=mask_voxels(mask)[:3])
    with pytest.raises(SearchlightCentreError, match="positive number of mm"):
        searchlight_rsa(recording, mask, models, radius=0.0)


def test_recording_on_other_voxels(haxby, models):
    recording, mask = haxby
    fewer = Recording(recording.data[:, :, :-1], recording.stimulus_ids, dims=recording.dims,
                      channels=recording.channels[:-1], runs=recording.runs)
    with pytest.raises(ShapeMismatchError, match="must be the mask's 530 voxels"):
        searchlight_rsa(fewer, mask, models)
