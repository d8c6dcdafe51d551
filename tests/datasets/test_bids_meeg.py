"""The M/EEG BIDS adapter on a BIDS folder written here by mne-bids from MNE RawArrays (real FIF files), checked
against MNE's own Epochs average of the same files read without mne-bids."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.data.manifest import read_manifest_file
from neuroalign.data.settings import CACHE_ENV, OFFLINE_ENV
from neuroalign.datasets.bids_manifest import write_bids_manifest
from neuroalign.datasets.errors import DataFormatError
from neuroalign.datasets.registry import load_dataset

mne = pytest.importorskip("mne")
mne_bids = pytest.importorskip("mne_bids", reason="mne-bids (a core dependency, pyproject.toml) is not installed")

SFREQ, N_CH, N_SAMPLES = 100.0, 4, 1200
EVENT_ID = {"face": 1, "house": 2}
CITATION = "@misc{lab, title = {Lab MEG}, year = {2025}}"


def _events(run: int) -> np.ndarray:
    samples = np.arange(60, N_SAMPLES - 60, 70)
    codes = np.where((np.arange(len(samples)) + run) % 2 == 0, 1, 2)
    return np.column_stack([samples, np.zeros_like(samples), codes])


@pytest.fixture(scope="module")
def lab_meg(tmp_path_factory):
    """``mirror/lab_meg``: sub-01 with 2 runs of 4 magnetometers, face/house events; and its manifest."""
    base = tmp_path_factory.mktemp("meg")
    root = base / "mirror" / "lab_meg"
    rng = np.random.default_rng(0)
    for run in (1, 2):
        info = mne.create_info([f"MEG{k:03d}" for k in range(N_CH)], SFREQ, "mag")
        events = _events(run)
        data = rng.normal(0, 1e-13, (N_CH, N_SAMPLES))
        for sample, _, code in events:  # a condition-specific response after each onset
            data[:, sample + 5: sample + 25] += code * 1e-13 * np.arange(1, N_CH + 1)[:, None]
        raw = mne.io.RawArray(data, info, verbose="error")
        raw.set_meas_date(1_600_000_000 + run * 3600)
        raw.info["line_freq"] = 50.0
        path = mne_bids.BIDSPath(subject="01", task="look", run=run, datatype="meg", root=root)
        mne_bids.write_raw_bids(raw, path, events=events, event_id=EVENT_ID, format="FIF", allow_preload=True,
                                overwrite=True, verbose="error")
    manifest = write_bids_manifest(root, "lab_meg", base / "manifests", task="look", tr=None,
                                   conditions=["face", "house"], citation=CITATION, adapter="bids_meeg",
                                   modality="meg")
    return root, read_manifest_file(manifest)


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(OFFLINE_ENV, "1")
    monkeypatch.delenv("NEUROALIGN_DATA_MIRROR", raising=False)


def _mne_average(root, tmin, tmax):
    """The same epochs cut by MNE alone: the FIF files read directly, the events the test wrote."""
    epochs = []
    for run in (1, 2):
        raw = mne.io.read_raw_fif(root / "sub-01" / "meg" / f"sub-01_task-look_run-{run}_meg.fif", verbose="error")
        epochs.append(mne.Epochs(raw, _events(run), EVENT_ID, tmin=tmin, tmax=tmax, baseline=(None, 0),
                                 preload=True, verbose="error"))
    joined = mne.concatenate_epochs(epochs, verbose="error")
    return {c: joined[c].average() for c in EVENT_ID}, joined


def test_condition_averages_are_mnes_epochs_average(lab_meg):
    root, manifest = lab_meg
    adapter = load_dataset(manifest, mirror=root.parent, tmin=-0.1, tmax=0.3)
    assert adapter.subjects() == ["01"] and adapter.selectors() == {"subject": ("01",)}
    recording, = adapter.recordings(subject="01")
    expected, _ = _mne_average(root, -0.1, 0.3)
    assert recording.dims == ("stimulus", "channel", "time") and recording.stimulus_ids == ("face", "house")
    assert list(recording.channels) == expected["face"].ch_names
    np.testing.assert_allclose(recording.times, expected["face"].times, rtol=0, atol=1e-12)
    for k, condition in enumerate(("face", "house")):
        np.testing.assert_allclose(recording.data[k], expected[condition].data, rtol=1e-12, atol=0)
    assert recording.descriptors["subject"] == "01" and recording.descriptors["level"] == "average"


def test_condition_level_keeps_every_trial(lab_meg):
    root, manifest = lab_meg
    recording, = load_dataset(manifest, mirror=root.parent, tmin=-0.1, tmax=0.3,
                              level="condition").recordings(decim=2)
    _, joined = _mne_average(root, -0.1, 0.3)
    faces = joined["face"].get_data()[:, :, ::2]
    assert recording.dims == ("run", "stimulus", "channel", "time")
    assert recording.n_runs == max(len(joined["face"]), len(joined["house"]))
    np.testing.assert_allclose(recording.data[: len(faces), 0], faces, rtol=1e-12, atol=0)


def test_a_condition_without_events_is_named(lab_meg):
    root, manifest = lab_meg
    adapter = load_dataset(manifest, mirror=root.parent, conditions=["face", "car"])
    with pytest.raises(DataFormatError, match=r"\['car'\] have no epochs"):
        adapter.recordings()


def test_files_split_between_mirror_and_cache_are_read_as_one_bids_root(lab_meg, tmp_path):
    """mne-bids needs the sidecars beside the recording: a mirror holding only the FIF files and a cache holding
    the rest give the same numbers as one folder."""
    import shutil

    root, manifest = lab_meg
    partial = tmp_path / "partial" / "lab_meg"
    cached = tmp_path / "cache" / "lab_meg"
    for entry in manifest.files:
        target = (partial if entry.name.endswith("_meg.fif") else cached) / entry.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / entry.name, target)
    recording, = load_dataset(manifest, mirror=partial.parent, tmin=-0.1, tmax=0.3).recordings()
    expected, _ = _mne_average(root, -0.1, 0.3)
    np.testing.assert_allclose(recording.data[1], expected["house"].data, rtol=1e-12, atol=0)
    assert (cached / "bids_view" / "sub-01" / "meg" / "sub-01_task-look_run-1_meg.fif").is_symlink()
