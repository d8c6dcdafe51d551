"""Per-voxel maps back to NIfTI through the Haxby slice's masker; per-sensor values as an MNE Evoked."""

from __future__ import annotations

import mne
import nibabel as nib
import numpy as np
import pytest

from neuroalign.encoding import to_evoked, to_nifti
from neuroalign.errors import ShapeMismatchError


@pytest.mark.realdata
def test_voxel_values_land_on_their_voxels(tmp_path, data_mirror):
    from neuroalign.datasets import load_dataset

    adapter = load_dataset("haxby2001_subj1_slice", mirror=data_mirror)
    masker = adapter.masker()
    mask = np.asarray(nib.load(data_mirror / "haxby2001_subj1_slice" / "mask.nii.gz").dataobj).astype(bool)
    values = np.arange(1, mask.sum() + 1, dtype=np.float64)
    image = to_nifti(values, masker, tmp_path / "r.nii.gz")
    written = np.asarray(nib.load(tmp_path / "r.nii.gz").dataobj)
    np.testing.assert_array_equal(written[mask], values)  # nilearn's masker order is the C-order of the mask
    assert (written[~mask] == 0).all() and image.shape == mask.shape
    assert [p.name for p in tmp_path.iterdir()] == ["r.nii.gz"]  # no partial file left
    with pytest.raises(ShapeMismatchError, match="expected 530 values"):
        to_nifti(values[:-1], masker)


def test_sensor_values_become_an_evoked_topography():
    info = mne.create_info(["Fz", "Cz", "Pz", "Oz"], 100.0, "eeg")
    info.set_montage(mne.channels.make_standard_montage("colin27_1020"))
    evoked = to_evoked([[0.1, 0.2, 0.3, 0.4], [1, 2, 3, 4]], info, comment="held-out r")
    np.testing.assert_array_equal(evoked.data, [[0.1, 1], [0.2, 2], [0.3, 3], [0.4, 4]])
    assert evoked.ch_names == ["Fz", "Cz", "Pz", "Oz"] and evoked.comment == "held-out r"
