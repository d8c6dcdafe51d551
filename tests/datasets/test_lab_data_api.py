"""Lab data as users bring it, on the real files, against MNE, nilearn, scipy and rsatoolbox computed directly.

EEG: the SSVEP epochs (16 trials, event codes 1xx / 2xx). fMRI: the Haxby slice (bold.nii.gz, mask.nii.gz and the
``label run`` attributes file of pymvpa).
"""

from __future__ import annotations

import warnings

import mne
import nibabel as nib
import numpy as np
import pandas as pd
import pytest
import scipy.stats
from scipy.spatial.distance import pdist, squareform

import neuroalign
from neuroalign.analysis import time_resolved_rsa
from neuroalign.datasets.loaders import events_from_volume_labels, read_volume_labels
from neuroalign.datasets.loaders.meeg import epochs_recording
from neuroalign.rdm import compute_rdms

EEG = "ssvep_eeg_64ch"
HAXBY = "haxby2001_subj1_slice"
#: Four conditions of the real trials by event-code range, four trials each.
QUARTERS = {"1a": range(100, 109), "1b": range(109, 200), "2a": range(200, 208), "2b": range(208, 300)}


@pytest.fixture(scope="module")
def epochs(data_mirror):
    return mne.read_epochs(data_mirror / EEG / "example-epo.fif", verbose="error")


@pytest.fixture(scope="module")
def short(epochs):
    """Five time points (0.5 s apart, 10 Hz low-pass): small enough for by-hand references."""
    return epochs.copy().filter(None, 10.0, verbose="error").crop(1.0, 3.0).decimate(128, verbose="error")


def _condition_means(inst, members):
    return np.stack([inst[np.isin(inst.events[:, 2], list(codes))].get_data().mean(axis=0)
                     for codes in members.values()])


# --- MNE epochs ---------------------------------------------------------------------------------------------------
def test_the_natural_mne_call_works_and_equals_mne_selection(epochs):
    """``epochs_recording(epochs, epochs.event_id)`` (a TypeError before): one condition per event name."""
    recording = epochs_recording(epochs, epochs.event_id)
    assert recording.stimulus_ids == tuple(epochs.event_id) and recording.n_runs == 1
    for k, name in enumerate(epochs.event_id):
        np.testing.assert_array_equal(recording.patterns()[0, k], epochs[name].get_data()[0])
    default = neuroalign.recording_from_epochs(epochs)
    np.testing.assert_array_equal(default.data, recording.data)
    assert neuroalign.recording_from_epochs is epochs_recording


def test_compute_rdms_and_time_resolved_rsa_take_epochs(short):
    """The RDM at each time point is scipy's correlation distance over the trials' channel patterns."""
    rdms = compute_rdms(short, "correlation")
    data = short.get_data()  # trials in event_id order already (one event name per trial)
    assert rdms.stimulus_ids == tuple(short.event_id) and rdms.n_rdms == len(short.times)
    for t in range(len(short.times)):
        np.testing.assert_allclose(rdms.dissimilarities[t], pdist(data[:, :, t], "correlation"), rtol=1e-10)
    model = pdist(np.arange(16.0)[:, None] // 8)  # the two conditions as a categorical model, in the same order
    course = time_resolved_rsa(short, model, "correlation", "spearman")
    expected = [scipy.stats.spearmanr(model, pdist(data[:, :, t], "correlation"))[0] for t in range(len(short.times))]
    np.testing.assert_allclose(course.values[0], expected, rtol=1e-10)
    np.testing.assert_allclose(course.times, short.times)


def test_unequal_trial_counts_give_rsatoolbox_unbalanced_crossnobis(short):
    """Three trials dropped (unequal counts, the normal case): crossnobis is rsatoolbox's calc_rdm_unbalanced with
    the trial number as its cv_descriptor, at every time point. Before, the NaN padding made it an error."""
    from rsatoolbox.data import Dataset
    from rsatoolbox.rdm import calc_rdm_unbalanced

    kept = short.copy().drop([0, 5, 6], verbose="error")
    recording = neuroalign.recording_from_epochs(kept, QUARTERS)
    counts = [int(np.isin(kept.events[:, 2], list(c)).sum()) for c in QUARTERS.values()]
    assert counts == [3, 4, 2, 4] and recording.n_runs == 4
    ours = compute_rdms(recording, "crossnobis", normalize=True)
    labels = np.array([next(n for n, c in QUARTERS.items() if code in c) for code in kept.events[:, 2]])
    trial = np.array([(labels[:k] == labels[k]).sum() for k in range(len(labels))])  # index within condition
    data = kept.get_data()
    for t in range(len(kept.times)):
        dataset = Dataset(data[:, :, t], obs_descriptors={"condition": labels, "trial": trial})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = calc_rdm_unbalanced(dataset, method="crossnobis", descriptor="condition", cv_descriptor="trial")
        order = [list(theirs.pattern_descriptors["condition"]).index(c) for c in QUARTERS]  # theirs: first seen
        expected = squareform(theirs.get_matrices()[0][np.ix_(order, order)], checks=False)
        np.testing.assert_allclose(ours.dissimilarities[t], expected, rtol=1e-9, atol=1e-12 * np.abs(expected).max())
    # distances that average runs use each condition's mean over its own trials (MNE's average)
    means = _condition_means(kept, QUARTERS)
    corr = compute_rdms(recording, "correlation")
    for t in range(len(kept.times)):
        np.testing.assert_allclose(corr.dissimilarities[t], pdist(means[:, :, t], "correlation"), rtol=1e-10)


def _hierarchical(epochs):
    """The real trials with event names ``ssvep/<low|high>/<code>`` and a metadata table."""
    names = {code: f"ssvep/{'low' if code < 200 else 'high'}/{code}" for code in epochs.events[:, 2]}
    metadata = pd.DataFrame({"code": epochs.events[:, 2], "stimulus": ["low" if c < 200 else "high"
                                                                       for c in epochs.events[:, 2]]})
    return mne.EpochsArray(epochs.get_data(), epochs.info, epochs.events, tmin=epochs.tmin,
                           event_id={names[c]: int(c) for c in epochs.events[:, 2]}, metadata=metadata,
                           verbose="error")


def test_event_tags_metadata_and_queries_give_the_same_conditions(short):
    tagged = _hierarchical(short)
    expected = neuroalign.recording_from_epochs(short, {"low": range(100, 200), "high": range(200, 300)})
    for conditions, by in ((["low", "high"], None), (None, "stimulus"), (["low", "high"], "stimulus"),
                           ({"low": "code < 200", "high": "code >= 200"}, None)):
        recording = neuroalign.recording_from_epochs(tagged, conditions, by=by)
        order = [recording.stimulus_ids.index(s) for s in ("low", "high")]
        np.testing.assert_array_equal(recording.patterns()[:, order], expected.patterns())
    # by= without conditions: the column's values sorted
    assert neuroalign.recording_from_epochs(tagged, by="stimulus").stimulus_ids == ("high", "low")


def test_lazily_read_epochs_drop_their_rejected_trials_before_events_are_read(epochs):
    """preload=False with reject=: MNE drops bad epochs only when it loads them. Labels and data must come from
    the same epochs (before, events listed every epoch and the data only the good ones)."""
    data = epochs.get_data()[:, :, ::16]
    info = mne.create_info(epochs.ch_names, epochs.info["sfreq"] / 16, "eeg")
    raw = mne.io.RawArray(np.concatenate(list(data), axis=-1), info, verbose="error")
    events = np.column_stack([np.arange(16) * data.shape[-1], np.zeros(16, int), epochs.events[:, 2]])
    peak_to_peak = np.ptp(data, axis=2).max(axis=1)
    threshold = float(np.sort(peak_to_peak)[12])  # MNE rejects the three trials above the 13th largest
    lazy = mne.Epochs(raw, events, {str(c): int(c) for c in events[:, 2]}, tmin=0.0,
                      tmax=(data.shape[-1] - 1) / info["sfreq"], baseline=None, reject={"eeg": threshold},
                      preload=False, verbose="error")
    recording = neuroalign.recording_from_epochs(lazy, {"1xx": range(100, 200), "2xx": range(200, 300)})
    good = lazy.copy().drop_bad(verbose="error")
    assert len(good) == 13
    for k, codes in enumerate((range(100, 200), range(200, 300))):
        trials = good.get_data()[np.isin(good.events[:, 2], list(codes))]
        np.testing.assert_allclose(recording.patterns()[: len(trials), k], trials, rtol=0, atol=0)
        assert np.isnan(recording.patterns()[len(trials):, k]).all()


def test_bad_channels_are_left_out_as_mne_get_data_does(epochs):
    marked = epochs.copy().crop(1.0, 1.1)
    marked.info["bads"] = ["Oz"]
    recording = neuroalign.recording_from_epochs(marked, picks="eeg")
    assert "Oz" not in list(recording.channels) and recording.n_channels == 63
    assert recording.descriptors["bads"] == ("Oz",)
    np.testing.assert_array_equal(recording.patterns()[0], marked.get_data(picks="eeg"))
    named = neuroalign.recording_from_epochs(marked, picks=["Oz", "O1"])
    assert list(named.channels) == ["Oz", "O1"] and "bads" not in named.descriptors
    assert marked.info["bads"] == ["Oz"]  # the input is untouched


def test_trial_ids_stay_unique_when_trials_share_an_event_code(short):
    shared = mne.EpochsArray(short.get_data(), short.info, np.column_stack([short.events[:, :2],
                                                                             short.events[:, 2] // 100]),
                             event_id={"low": 1, "high": 2}, verbose="error")
    trials = neuroalign.recording_from_epochs(shared, level="trial")
    assert len(set(trials.stimulus_ids)) == 16 and trials.stimulus_ids[:2] == ("low/0", "high/1")
    # files that number their trials by code keep "<condition>/<code>"
    assert neuroalign.recording_from_epochs(short, QUARTERS, level="trial").stimulus_ids[:2] == ("1a/101", "2a/202")


# --- NIfTI --------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def haxby(data_mirror):
    folder = data_mirror / HAXBY
    labels, runs = read_volume_labels(folder / "attributes_literal.txt")
    return folder, labels, runs


def test_haxby_as_a_user_calls_it_equals_nilearn_label_averages(haxby):
    """bold + mask + events from the attributes file; reference: NiftiMasker, per-run nilearn.signal.clean, and
    each run's volumes averaged by the attributes file's own labels (no events round trip)."""
    from nilearn.maskers import NiftiMasker
    from nilearn.signal import clean

    folder, labels, runs = haxby
    events = events_from_volume_labels(labels, runs, tr=2.5)
    recording = neuroalign.recording_from_nifti(folder / "bold.nii.gz", events, folder / "mask.nii.gz", tr=2.5,
                                                volume_runs=runs)
    conditions = sorted(set(labels) - {"rest"})
    assert recording.stimulus_ids == tuple(conditions) and recording.dims == ("run", "stimulus", "channel")
    masker = NiftiMasker(mask_img=str(folder / "mask.nii.gz"), standardize=None)
    series = masker.fit_transform(str(folder / "bold.nii.gz"))
    series = clean(series, runs=runs, detrend=True, standardize="zscore_sample")
    for r, run in enumerate(pd.unique(runs)):
        for c, condition in enumerate(conditions):
            np.testing.assert_allclose(recording.data[r, c],
                                       series[(runs == run) & (labels == condition)].mean(axis=0), rtol=1e-5,
                                       atol=1e-6)
    assert np.isfinite(recording.data).all()


def test_run_images_with_their_own_events_equal_nilearn_first_level_glm(haxby):
    """Two runs given as a list of 4-D images and a list of events tables (nilearn's convention); reference:
    nilearn's FirstLevelModel fitted per run, effect sizes through the same mask."""
    from nilearn.glm.first_level import FirstLevelModel
    from nilearn.image import index_img
    from nilearn.maskers import NiftiMasker

    folder, labels, runs = haxby
    bold = nib.load(folder / "bold.nii.gz")
    images, tables = [], []
    for run in (0, 1):
        volumes = np.flatnonzero(runs == run)
        images.append(index_img(bold, volumes))
        tables.append(events_from_volume_labels(labels[volumes], runs[volumes], tr=2.5).drop(columns="run"))
    recording = neuroalign.recording_from_nifti(images, tables, folder / "mask.nii.gz", tr=2.5, method="glm")
    masker = NiftiMasker(mask_img=str(folder / "mask.nii.gz"), standardize=None).fit()
    for r, (image, table) in enumerate(zip(images, tables)):
        model = FirstLevelModel(t_r=2.5, mask_img=masker, hrf_model="glover", drift_model="cosine", high_pass=0.01,
                                signal_scaling=False).fit(image, events=table)
        for c, condition in enumerate(recording.stimulus_ids):
            effect = masker.transform(model.compute_contrast(condition, output_type="effect_size")).ravel()
            np.testing.assert_allclose(recording.data[r, c], effect, rtol=1e-6, atol=1e-8)


def test_a_list_of_3d_volumes_is_one_run_like_the_4d_series(haxby):
    from nilearn.image import index_img, iter_img

    folder, labels, runs = haxby
    volumes = np.flatnonzero(runs == 3)
    series = index_img(nib.load(folder / "bold.nii.gz"), volumes)
    events = events_from_volume_labels(labels[volumes], runs[volumes], tr=2.5)
    as_series = neuroalign.recording_from_nifti(series, events, folder / "mask.nii.gz", tr=2.5)
    as_volumes = neuroalign.recording_from_nifti(list(iter_img(series)), events, folder / "mask.nii.gz", tr=2.5)
    np.testing.assert_array_equal(as_volumes.data, as_series.data)
    assert as_series.n_runs == 1 and list(as_series.runs) == [3]


def test_import_neuroalign_imports_neither_mne_nor_nilearn():
    import subprocess
    import sys

    code = ("import sys, neuroalign; neuroalign.recording_from_epochs; neuroalign.recording_from_nifti; "
            "print(sorted(m for m in ('mne', 'nilearn', 'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_sensor_searchlight_takes_epochs_and_their_info(short):
    from neuroalign.analysis import sensor_searchlight_rsa

    model = pdist(np.arange(16.0)[:, None] // 8)
    direct = sensor_searchlight_rsa(short, None, model, ch_type="eeg")
    via = sensor_searchlight_rsa(neuroalign.recording_from_epochs(short), short.info, model, ch_type="eeg")
    np.testing.assert_array_equal(direct.values, via.values)
    assert direct.values.shape == (1, 64, len(short.times))
