"""The Haxby et al. (2001) slice on the real files: condition patterns per run, split-half reliability."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

from neuroalign.compare import compare
from neuroalign.core.recording import Recording
from neuroalign.datasets import ConditionMismatchError, GridMismatchError, load_dataset
from neuroalign.datasets.loaders.fmri_masking import masked_series
from neuroalign.rdm import compute_rdms

DATASET = "haxby2001_subj1_slice"
CATEGORIES = ("bottle", "cat", "chair", "face", "house", "scissors", "scrambledpix", "shoe")


def _runs(recording: Recording, keep: slice) -> Recording:
    return Recording(recording.data[keep], recording.stimulus_ids, dims=recording.dims,
                     channels=recording.channels, runs=recording.runs[keep])


def _split_half(recording: Recording) -> float:
    odd, even = (compute_rdms(_runs(recording, s), "correlation") for s in (slice(1, None, 2), slice(0, None, 2)))
    return float(compare(odd, even, comparator="spearman")[0, 0])


@pytest.fixture(scope="module")
def haxby(data_mirror):
    return load_dataset(DATASET, mirror=data_mirror)


@pytest.mark.parametrize("method", ["average", "glm"])
def test_odd_and_even_runs_agree(haxby, method):
    recording, = haxby.recordings(method=method, roi="slice")
    assert recording.dims == ("run", "stimulus", "channel") and recording.stimulus_ids == CATEGORIES
    assert recording.n_runs == 12 and recording.n_channels == 530 and np.isfinite(recording.data).all()
    assert recording.descriptors["subject"] == "subj1" and recording.descriptors["method"] == method
    assert _split_half(recording) > 0.2


def test_patterns_are_label_averages_and_runs_feed_crossnobis(haxby, data_mirror):
    recording, = haxby.recordings()
    events, runs = haxby.design()
    assert len(events) == 12 * 8 and set(events["duration"]) == {22.5}
    assert haxby.stimulus_set().stimulus_ids == CATEGORIES
    cross = compute_rdms(recording, "crossnobis")
    assert cross.n_rdms == 1 and np.isfinite(cross.dissimilarities).all()
    assert cross.dissimilarities.mean() > 0  # unbiased, so positive only where the patterns really differ


def test_mask_on_another_grid_is_refused(tmp_path, data_mirror):
    folder = data_mirror / DATASET
    mask = nib.load(folder / "mask.nii.gz")
    wrong = tmp_path / "mask_2slices.nii.gz"
    nib.save(nib.Nifti1Image(np.ones((40, 20, 2), np.uint8), mask.affine), wrong)
    with pytest.raises(GridMismatchError, match=r"bold.nii.gz: shape: spatial shape \(40, 20, 1\)") as info:
        masked_series(folder / "bold.nii.gz", wrong)
    assert info.value.field == "shape" and str(wrong) in str(info.value)
    shifted = tmp_path / "mask_shifted.nii.gz"
    nib.save(nib.Nifti1Image(np.asarray(mask.dataobj), mask.affine + np.diag([0, 0, 0, 0]) + 1e-0), shifted)
    with pytest.raises(GridMismatchError, match="affine"):
        masked_series(folder / "bold.nii.gz", shifted)


def test_labels_that_do_not_match_the_stimulus_set(data_mirror):
    adapter = load_dataset(DATASET, mirror=data_mirror, conditions=list(CATEGORIES[:-1]) + ["shoes"])
    with pytest.raises(ConditionMismatchError, match=r"attributes_literal.txt: label: .*\['shoe'\].*\['shoes'\]"):
        adapter.recordings()


def test_atlas_rois_on_the_real_mask(data_mirror, tmp_path):
    """An atlas splitting the real slice in two gives two ROIs that partition the masked voxels."""
    from neuroalign.datasets.errors import DataFormatError
    from neuroalign.datasets.loaders.fmri_masking import roi_masks

    mask_path = data_mirror / DATASET / "mask.nii.gz"
    mask = nib.load(mask_path)
    inside = np.asarray(mask.dataobj).astype(bool)
    atlas_values = np.zeros(inside.shape, dtype=np.int16)
    half = inside.shape[0] // 2
    atlas_values[:half] = 1
    atlas_values[half:] = 2
    atlas = nib.Nifti1Image(atlas_values, mask.affine)
    rois = roi_masks(atlas, {"left": 1, "right": 2}, mask=mask_path)
    left, right = (np.asarray(rois[k].dataobj).astype(bool) for k in ("left", "right"))
    assert not (left & right).any() and ((left | right) == inside).all()
    assert left.sum() + right.sum() == 530 and left.sum() > 0 and right.sum() > 0
    with pytest.raises(DataFormatError, match="ROI 'v1' has no voxel"):
        roi_masks(atlas, {"v1": 7}, mask=mask_path)
    shifted = nib.Nifti1Image(atlas_values, mask.affine @ np.diag([2.0, 1, 1, 1]))
    with pytest.raises(GridMismatchError):
        roi_masks(shifted, {"left": 1}, mask=mask_path)
