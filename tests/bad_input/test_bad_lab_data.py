"""Bad lab data: MNE epochs and NIfTI inputs as users get them wrong, each refused with what and where, or right.

Real files (the SSVEP EEG epochs and the Haxby slice) altered the way a lab's data goes wrong: dropped trials, a
selector that matches nothing, onsets in milliseconds, a probability map as a mask, volumes on another grid.
"""

from __future__ import annotations

import mne
import nibabel as nib
import numpy as np
import pandas as pd
import pytest

import neuroalign
from neuroalign import Recording
from neuroalign.datasets import ConditionMismatchError, DataFormatError, GridMismatchError
from neuroalign.datasets.loaders import events_from_volume_labels, read_volume_labels
from neuroalign.errors import InvalidOptionError, InvalidPatternsError, NotEnoughRunsError
from neuroalign.rdm import compute_rdms

CODES = {"1xx": range(100, 200), "2xx": range(200, 300)}


@pytest.fixture(scope="module")
def epochs(data_mirror):
    full = mne.read_epochs(data_mirror / "ssvep_eeg_64ch" / "example-epo.fif", verbose="error")
    return full.crop(1.0, 1.5).decimate(32, verbose="error")


@pytest.fixture(scope="module")
def haxby(data_mirror):
    folder = data_mirror / "haxby2001_subj1_slice"
    labels, runs = read_volume_labels(folder / "attributes_literal.txt")
    keep = np.flatnonzero(runs < 2)  # two runs are enough to go wrong
    bold = nib.load(folder / "bold.nii.gz").slicer[..., keep[0]:keep[-1] + 1]
    events = events_from_volume_labels(labels[keep], runs[keep], tr=2.5)
    return bold, folder / "mask.nii.gz", events, runs[keep]


# --- epochs -------------------------------------------------------------------------------------------------------
def test_a_selector_that_matches_nothing_names_the_event_names(epochs):
    with pytest.raises(ConditionMismatchError, match=r"condition 'face': 'face' matches no event name or tag of "
                                                     r"\['101', '103'.*no metadata"):
        neuroalign.recording_from_epochs(epochs, ["face", "house"])


def test_an_epoch_in_two_conditions_and_epochs_in_none(epochs):
    with pytest.raises(ConditionMismatchError, match=r"epoch 0 \(event '101'\).* belong to both '1xx' and 'all'"):
        neuroalign.recording_from_epochs(epochs, {**CODES, "all": range(100, 300)})
    with pytest.raises(ConditionMismatchError, match=r"events: event codes \[202, 205, 206.*belong to no condition "
                                                     r"of \['1xx'\] \(8 epochs: epoch 2 \(event '202'\)"):
        neuroalign.recording_from_epochs(epochs, {"1xx": range(100, 200)})


def test_metadata_that_is_missing_or_has_gaps(epochs):
    with pytest.raises(ConditionMismatchError, match=r"metadata: by='stimulus' names no metadata column; the epochs "
                                                     r"have no metadata"):
        neuroalign.recording_from_epochs(epochs, by="stimulus")
    gappy = epochs.copy()
    gappy.metadata = pd.DataFrame({"stimulus": ["a", None] + ["b"] * 14})
    with pytest.raises(ConditionMismatchError, match=r"metadata.stimulus: has no value for epoch 2 \(event '202'\)"):
        neuroalign.recording_from_epochs(gappy, by="stimulus")
    with pytest.raises(ConditionMismatchError, match=r"neither an event name or tag .* nor a query on the metadata "
                                                     r"columns \['stimulus'\]"):
        neuroalign.recording_from_epochs(gappy, {"x": "size >> 3"})


def test_conditions_of_the_wrong_kind(epochs):
    with pytest.raises(InvalidOptionError, match=r"for one condition pass \['101'\]"):
        neuroalign.recording_from_epochs(epochs, "101")
    with pytest.raises(InvalidOptionError, match="an event code, a sequence of event codes or an MNE selector"):
        neuroalign.recording_from_epochs(epochs, {"1xx": 1.5, "2xx": range(200, 300)})
    with pytest.raises(DataFormatError, match=r"type: expected mne.Epochs; got EvokedArray"):
        neuroalign.recording_from_epochs(epochs.average())


def test_one_trial_per_condition_cannot_be_cross_validated(epochs):
    """The natural event_id grouping of this file has one trial per event name."""
    with pytest.raises(NotEnoughRunsError, match="needs at least 2 independent runs"):
        compute_rdms(epochs, "crossnobis")


def test_a_condition_with_one_trial_among_several(epochs):
    sparse = epochs.copy().drop([2, 3, 7, 8, 9, 14, 15], verbose="error")  # 1xx keeps one trial
    recording = neuroalign.recording_from_epochs(sparse, CODES)
    with pytest.raises(NotEnoughRunsError, match=r"stimulus '1xx' \(time"):
        compute_rdms(recording, "crossnobis")


def test_nan_inside_a_trial_is_bad_data_not_a_missing_trial(epochs):
    recording = neuroalign.recording_from_epochs(epochs.copy().drop([0], verbose="error"), CODES)
    data = recording.data.copy()
    data[1, 0, 5, :] = np.nan  # one channel of one trial
    broken = Recording(data, recording.stimulus_ids, dims=recording.dims, channels=recording.channels,
                       times=recording.times, runs=recording.runs)
    for distance in ("crossnobis", "correlation", "euclidean"):
        with pytest.raises(InvalidPatternsError, match=r"NaN or Inf values .*stimulus '1xx' \(run 'trial2', time"):
            compute_rdms(broken, distance)


def test_mixed_channel_units_are_reported(epochs):
    data = epochs.get_data()[:, :4] * 1e-9
    info = mne.create_info(["MEG 0111", "MEG 0112", "MEG 0113", "MEG 0121"], epochs.info["sfreq"],
                           ["mag", "grad", "grad", "mag"])
    meg = mne.EpochsArray(data, info, epochs.events, event_id=epochs.event_id, verbose="error")
    with pytest.warns(UserWarning, match=r"mix types with different units \(grad, mag\)"):
        neuroalign.recording_from_epochs(meg, CODES)
    recording = neuroalign.recording_from_epochs(meg, CODES, picks="mag")
    assert recording.descriptors["modality"] == "mag"


# --- NIfTI --------------------------------------------------------------------------------------------------------
def test_events_without_the_needed_columns(haxby):
    bold, mask, events, runs = haxby
    with pytest.raises(DataFormatError, match=r"columns: events need \['onset', 'duration', 'trial_type'\].*"
                                              r"missing \['trial_type'\]"):
        neuroalign.recording_from_nifti(bold, events.rename(columns={"trial_type": "condition"}), mask, tr=2.5,
                                        volume_runs=runs)


def test_onsets_in_milliseconds_are_refused(haxby):
    bold, mask, events, runs = haxby
    with pytest.raises(DataFormatError, match=r"onset: rows \[0, 1, 2.*after the end of run 0 \(302.5 s of volumes\)"):
        neuroalign.recording_from_nifti(bold, events.assign(onset=events["onset"] * 1000), mask, tr=2.5,
                                        volume_runs=runs)


def test_bad_values_in_the_events(haxby, tmp_path):
    bold, mask, events, runs = haxby
    gaps = events.copy()
    gaps.loc[3, "trial_type"] = np.nan
    with pytest.raises(DataFormatError, match=r"trial_type: rows \[3\] have no trial_type"):
        neuroalign.recording_from_nifti(bold, gaps, mask, tr=2.5, volume_runs=runs)
    negative = events.assign(duration=events["duration"].where(events.index != 2, -1.0))
    path = tmp_path / "events.tsv"
    negative.to_csv(path, sep="\t", index=False)
    with pytest.raises(DataFormatError, match=rf"{path}: duration: rows \[2\] have duration \[-1.0\]"):
        neuroalign.recording_from_nifti(bold, path, mask, tr=2.5, volume_runs=runs)


def test_conditions_that_no_event_names(haxby):
    bold, mask, events, runs = haxby
    with pytest.raises(ConditionMismatchError, match=r"conditions \['faces'\] name no event; the events' trial "
                                                     r"types are \['bottle', 'cat'"):
        neuroalign.recording_from_nifti(bold, events, mask, tr=2.5, volume_runs=runs, conditions=["faces", "cat"])


def test_several_runs_need_their_volume_runs(haxby):
    bold, mask, events, runs = haxby
    with pytest.raises(DataFormatError, match=r"run: the events name runs \[0, 1\] but the series has no "
                                              r"volume_runs"):
        neuroalign.recording_from_nifti(bold, events, mask, tr=2.5)
    with pytest.raises(DataFormatError, match=r"volume_runs: 100 run labels for 242 volumes"):
        neuroalign.recording_from_nifti(bold, events, mask, tr=2.5, volume_runs=runs[:100])
    with pytest.raises(DataFormatError, match=r"events of run 0, but no volume belongs to it"):
        neuroalign.recording_from_nifti(bold, events, mask, tr=2.5, volume_runs=runs.astype(str))


def test_a_probability_map_is_not_a_mask(haxby, tmp_path):
    bold, mask, events, runs = haxby
    image = nib.load(mask)
    probability = np.asarray(image.dataobj, dtype=np.float32) * np.linspace(0.2, 1.0, 40)[:, None, None]
    path = tmp_path / "probability.nii.gz"
    nib.save(nib.Nifti1Image(probability, image.affine), path)
    with pytest.raises(DataFormatError, match=rf"{path}: values: a mask holds 0 and one other value.*binarize_img"):
        neuroalign.recording_from_nifti(bold, events, path, tr=2.5, volume_runs=runs)


def test_images_and_masks_on_other_grids(haxby, tmp_path):
    from nilearn.image import index_img, iter_img

    bold, mask, events, runs = haxby
    image = nib.load(mask)
    shifted = tmp_path / "mask_shifted.nii.gz"
    affine = image.affine.copy()
    affine[0, 3] += 3.0
    nib.save(nib.Nifti1Image(np.asarray(image.dataobj), affine), shifted)
    with pytest.raises(GridMismatchError, match=r"affine: voxel-to-world affine differs from the mask"):
        neuroalign.recording_from_nifti(bold, events, shifted, tr=2.5, volume_runs=runs)
    volumes = list(iter_img(index_img(bold, slice(0, 121))))
    volumes[7] = nib.Nifti1Image(np.asarray(volumes[7].dataobj), affine)
    with pytest.raises(GridMismatchError, match=r"affine: .*differs from the first volume"):
        neuroalign.recording_from_nifti(volumes, events[events["run"] == 0], mask, tr=2.5)
    with pytest.raises(DataFormatError, match=r"shape: expected a 4-D series .* got shape \(40, 20, 1\)"):
        neuroalign.recording_from_nifti(volumes[0], events, mask, tr=2.5)


def test_run_images_need_one_events_table_each(haxby):
    from nilearn.image import index_img

    bold, mask, events, runs = haxby
    images = [index_img(bold, np.flatnonzero(runs == r)) for r in (0, 1)]
    with pytest.raises(DataFormatError, match=r"events: 2 run images need a list of as many events tables"):
        neuroalign.recording_from_nifti(images, events, mask, tr=2.5)


def test_a_tr_that_disagrees_with_the_header_warns(haxby):
    bold, mask, events, runs = haxby
    with pytest.warns(UserWarning, match=r"tr=2.0 s but the header's repetition time is 2.5 s"):
        neuroalign.recording_from_nifti(bold, events.assign(onset=events["onset"] * 0.8), mask, tr=2.0,
                                        volume_runs=runs)


def test_averaging_refuses_designs_it_cannot_average(haxby):
    """Overlapping events of two conditions, and events shorter than a TR, need the GLM."""
    bold, mask, events, runs = haxby
    overlapping = events.copy()
    overlapping.loc[1, "onset"] = overlapping.loc[0, "onset"] + 5.0
    with pytest.raises(DataFormatError, match=r"onset: volume 8 \(t = 20 s\) falls in events of both 'scissors' and "
                                              r"'face'.*method='glm'"):
        neuroalign.recording_from_nifti(bold, overlapping, mask, tr=2.5, volume_runs=runs)
    brief = events.assign(duration=0.5, onset=events["onset"] + 0.5)
    with pytest.raises(DataFormatError, match=r"duration: condition 'bottle' has events in run 0 but no volume is "
                                              r"acquired within them"):
        neuroalign.recording_from_nifti(bold, brief, mask, tr=2.5, volume_runs=runs)
    recording = neuroalign.recording_from_nifti(bold, brief, mask, tr=2.5, volume_runs=runs, method="glm")
    assert np.isfinite(recording.data).all()


def test_averaging_runs_refuses_nan_in_only_some_channels(epochs):
    """Recording.average_runs (what feature metrics use) follows the engine's rule: only a NaN in every channel of
    a run means "not measured"; before, nanmean silently mixed runs channel by channel."""
    recording = neuroalign.recording_from_epochs(epochs.copy().drop([0], verbose="error"), CODES)
    mean = recording.average_runs()
    np.testing.assert_allclose(mean.data[0], epochs.copy().drop([0], verbose="error")["101", "103", "104", "108",
                                                                                       "109", "110", "115",
                                                                                       "116"].get_data().mean(0))
    data = recording.data.copy()
    data[2, 1, 3, 0] = np.nan
    broken = Recording(data, recording.stimulus_ids, dims=recording.dims, runs=recording.runs)
    with pytest.raises(InvalidPatternsError, match=r"stimulus '2xx' has NaN in some channels of run 'trial3'"):
        broken.average_runs()


def test_windows_decimation_and_single_evoked_responses(epochs):
    with pytest.raises(DataFormatError, match=r"tmin/tmax: \[2.0, 3.0\] does not fit the epochs' times \[1, 1.5\]"):
        neuroalign.recording_from_epochs(epochs, CODES, tmin=2.0, tmax=3.0)
    for decim in (0, -2, 1.5):  # 0 used to mean "no decimation" without a word
        with pytest.raises(InvalidOptionError, match="decim must be an integer >= 1"):
            neuroalign.recording_from_epochs(epochs, CODES, decim=decim)
    with pytest.raises(DataFormatError, match="one Evoked response is one stimulus; pass a list"):
        neuroalign.recording_from_evoked(epochs.average())
