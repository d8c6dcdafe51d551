"""The BIDS fMRI adapter on BIDS layouts written here with real NIfTI files (nibabel), and on the Haxby slice."""

from __future__ import annotations

import textwrap

import nibabel as nib
import numpy as np
import pandas as pd
import pytest
from scipy.signal import detrend

from neuroalign.data.settings import CACHE_ENV, OFFLINE_ENV
from neuroalign.datasets.bids_adapter import BidsFmriAdapter
from neuroalign.datasets.bids_manifest import write_bids_manifest
from neuroalign.datasets.errors import DataFormatError
from neuroalign.datasets.loaders.bids_layout import find_runs
from neuroalign.datasets.registry import load_dataset, register_adapter

TR, N_VOL, SHAPE = 2.0, 40, (3, 3, 2)
# Two conditions in 8-volume blocks separated by 4 rest volumes, per run.
BLOCKS = [("face", 4), ("house", 16), ("face", 28)]
CITATION = "@misc{lab, title = {Lab data}, year = {2025}}"


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(OFFLINE_ENV, "1")
    monkeypatch.delenv("NEUROALIGN_DATA_MIRROR", raising=False)


def _write_run(root, sub, run, rng, patterns, motion=None, fmriprep=False, hrf=False):
    labels = np.full(N_VOL, "rest", dtype=object)
    for cond, start in BLOCKS:
        labels[start:start + 8] = cond
    data = rng.normal(0, 0.1, (*SHAPE, N_VOL))
    if hrf:  # responses as the GLM models them: each block convolved with the Glover HRF
        from nilearn.glm.first_level import make_first_level_design_matrix

        events = pd.DataFrame([(s * TR, 8 * TR, c) for c, s in BLOCKS], columns=["onset", "duration", "trial_type"])
        design = make_first_level_design_matrix(np.arange(N_VOL) * TR, events, hrf_model="glover", drift_model=None)
        for cond in ("face", "house"):
            data += patterns[cond][..., None] * design[cond].to_numpy()[None, None, None, :]
    else:
        for t, label in enumerate(labels):
            if label != "rest":
                data[..., t] += patterns[label]
    if motion is not None:
        data += motion[None, None, None, :] * 5.0  # a motion artefact in every voxel
    func = root / f"sub-{sub}" / "func"
    func.mkdir(parents=True, exist_ok=True)
    stem = f"sub-{sub}_task-look_run-{run:02d}"
    bold = f"{stem}_space-T1w_desc-preproc_bold.nii.gz" if fmriprep else f"{stem}_bold.nii.gz"
    nib.save(nib.Nifti1Image(data.astype(np.float32), np.eye(4)), func / bold)
    nib.save(nib.Nifti1Image(np.ones(SHAPE, np.uint8), np.eye(4)), func / f"{stem}_desc-brain_mask.nii.gz")
    events = pd.DataFrame([(s * TR, 8 * TR, c) for c, s in BLOCKS], columns=["onset", "duration", "trial_type"])
    events.to_csv(func / f"{stem}_events.tsv", sep="\t", index=False)
    if motion is not None:
        table = pd.DataFrame({k: rng.normal(size=N_VOL) * 0 for k in ("trans_x", "trans_y", "trans_z", "rot_x",
                                                                     "rot_y", "rot_z")})
        table["trans_x"] = motion
        table.to_csv(func / f"{stem}_desc-confounds_timeseries.tsv", sep="\t", index=False, na_rep="n/a")
    return data, labels


@pytest.fixture
def lab(tmp_path):
    """A BIDS folder ``mirror/lab_faces`` with 1 subject x 2 runs, its manifest, and the planted patterns."""
    rng = np.random.default_rng(0)
    patterns = {c: rng.normal(size=SHAPE) for c in ("face", "house")}
    root = tmp_path / "mirror" / "lab_faces"
    (root).mkdir(parents=True)
    (root / "dataset_description.json").write_text('{"Name": "lab", "BIDSVersion": "1.8.0"}')
    runs = [_write_run(root, "01", r, rng, patterns) for r in (1, 2)]
    manifest = write_bids_manifest(root, "lab_faces", tmp_path / "manifests", task="look", tr=TR,
                                   conditions=["face", "house"], citation=CITATION)
    return root, manifest, patterns, runs


def _reference_average(runs, lag_volumes=1):
    """Per run: detrend and z-score (ddof 1) every voxel, then average the volumes of each condition."""
    out = []
    for data, labels in runs:
        series = data.reshape(-1, N_VOL).T
        series = detrend(series, axis=0)
        series = (series - series.mean(0)) / series.std(0, ddof=1)
        shifted = np.r_[["rest"] * lag_volumes, labels[:-lag_volumes]]
        out.append([series[shifted == c].mean(0) for c in ("face", "house")])
    return np.array(out)


def test_average_patterns_of_a_lab_bids_folder_match_scipy(lab):
    root, manifest, _, runs = lab
    adapter = load_dataset(_manifest(manifest), mirror=root.parent, method="average",
                           method_options={"average": {"lag": 2.0}}, mask=None)
    recording, = adapter.recordings(subject="01")
    assert recording.dims == ("run", "stimulus", "channel") and recording.stimulus_ids == ("face", "house")
    assert list(recording.runs) == ["01", "02"]
    assert list(recording.channels) == list(range(int(np.prod(SHAPE))))  # the run's desc-brain_mask: every voxel
    expected = _reference_average(runs)
    np.testing.assert_allclose(recording.data, expected, atol=1e-5)


def test_glm_betas_recover_the_planted_patterns(tmp_path):
    rng = np.random.default_rng(2)
    patterns = {c: rng.normal(size=SHAPE) for c in ("face", "house")}
    root = tmp_path / "mirror" / "lab_glm"
    for r in (1, 2):
        _write_run(root, "01", r, rng, patterns, hrf=True)
    manifest = write_bids_manifest(root, "lab_glm", tmp_path / "manifests", task="look", tr=TR,
                                   conditions=["face", "house"], citation=CITATION)
    recording, = load_dataset(_manifest(manifest), mirror=root.parent, method="glm").recordings()
    for c, cond in enumerate(("face", "house")):
        planted = patterns[cond].ravel()[recording.channels]
        for run in range(2):
            assert np.corrcoef(recording.data[run, c], planted)[0, 1] > 0.99


def test_fmriprep_confounds_are_regressed_out(tmp_path):
    rng = np.random.default_rng(1)
    patterns = {c: rng.normal(size=SHAPE) for c in ("face", "house")}
    root = tmp_path / "ds"
    motion = [np.sin(np.arange(N_VOL) * 0.7 + k) for k in (0, 1)]
    runs = [_write_run(root, "02", r, rng, patterns, motion=motion[r - 1], fmriprep=True) for r in (1, 2)]
    names = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    found = find_runs(names, subject="02", task="look")
    assert [r.confounds is not None and "preproc" in r.bold for r in found] == [True, True]
    from neuroalign.datasets.bids_adapter import run_patterns

    paths = {n: root / n for n in names}
    mask = nib.Nifti1Image(np.ones(SHAPE, np.uint8), np.eye(4))
    cleaned = run_patterns(found, paths, TR, mask=mask, method="average", options={"lag": 2.0})
    raw = run_patterns(found, paths, TR, mask=mask, method="average", options={"lag": 2.0}, confounds=[])
    # Reference: regress [motion, 1, t] out of each run's voxels by least squares, z-score, average.
    expected = []
    for (data, labels), m in zip(runs, motion):
        series = data.reshape(-1, N_VOL).T
        design = np.c_[m, np.ones(N_VOL), np.arange(N_VOL)]
        resid = series - design @ np.linalg.lstsq(design, series, rcond=None)[0]
        resid = resid / resid.std(0, ddof=1)
        shifted = np.r_[["rest"], labels[:-1]]
        expected.append([resid[shifted == c].mean(0) for c in ("face", "house")])
    np.testing.assert_allclose(cleaned.data, np.array(expected), atol=1e-4)
    planted = np.array([patterns[c].ravel() for c in ("face", "house")])
    assert np.corrcoef(cleaned.data[0, 0], planted[0])[0, 1] > np.corrcoef(raw.data[0, 0], planted[0])[0, 1]


def test_a_run_without_events_is_named(tmp_path):
    names = ["sub-1/func/sub-1_task-look_run-01_bold.nii.gz"]
    with pytest.raises(DataFormatError, match="run-01_bold.nii.gz.*no matching _events.tsv"):
        find_runs(names, subject="1", task="look")
    with pytest.raises(DataFormatError, match="sub-2 task-look"):
        find_runs(names, subject="2", task="look")


def test_haxby_slice_as_bids_gives_the_label_adapters_patterns(tmp_path, data_mirror):
    """The shipped Haxby slice, rewritten as BIDS (one series and events.tsv per run), through the BIDS adapter."""
    from neuroalign.datasets.loaders.fmri_design import events_from_volume_labels, read_volume_labels

    source = data_mirror / "haxby2001_subj1_slice"
    img = nib.load(source / "bold.nii.gz")
    labels, runs = read_volume_labels(source / "attributes_literal.txt")
    events = events_from_volume_labels(labels, runs, 2.5)
    root = tmp_path / "mirror" / "haxby_bids"
    func = root / "sub-1" / "func"
    func.mkdir(parents=True)
    data = np.asarray(img.dataobj)
    for run in np.unique(runs):
        stem = f"sub-1_task-objectviewing_run-{int(run) + 1:02d}"
        nib.save(nib.Nifti1Image(data[..., runs == run], img.affine, img.header), func / f"{stem}_bold.nii.gz")
        events[events["run"] == run].drop(columns="run").to_csv(func / f"{stem}_events.tsv", sep="\t", index=False)
    (root / "masks").mkdir()
    nib.save(nib.load(source / "mask.nii.gz"), root / "masks" / "sub-1_mask.nii.gz")
    conditions = ["bottle", "cat", "chair", "face", "house", "scissors", "scrambledpix", "shoe"]
    manifest = write_bids_manifest(root, "haxby_bids", tmp_path / "manifests", task="objectviewing", tr=2.5,
                                   conditions=conditions, citation=CITATION,
                                   params={"mask": "masks/sub-{subject}_mask.nii.gz"})
    bids, = load_dataset(_manifest(manifest), mirror=root.parent,
                         method_options={"average": {"lag": 2.5}}).recordings()
    slice_adapter = load_dataset("haxby2001_subj1_slice", mirror=data_mirror)
    reference, = slice_adapter.recordings(method="average", roi="slice")
    np.testing.assert_allclose(bids.data, reference.data, atol=1e-6)
    assert bids.stimulus_ids == reference.stimulus_ids and bids.data.shape == (12, 8, 530)


def _manifest(path):
    from neuroalign.data.manifest import read_manifest_file

    return read_manifest_file(path)


def test_docs_lab_plugin_snippet_registers_and_loads(lab, tmp_path, monkeypatch):
    """The 'register your BIDS dataset as a plugin' snippet of docs/data.md, run as written (entry point aside)."""
    root, manifest, _, _ = lab
    import sys
    import types

    module = types.ModuleType("lab_faces_plugin")
    code = textwrap.dedent(f"""
        from neuroalign.datasets.bids_adapter import BidsFmriAdapter

        class LabFaces(BidsFmriAdapter):
            MANIFEST = "lab_faces.toml"
            MIRROR = {str(root.parent)!r}
        """)
    exec(code, module.__dict__)
    monkeypatch.setitem(sys.modules, "lab_faces_plugin", module)
    plugin_dir = tmp_path / "lab_faces_plugin"
    write_bids_manifest(root, "lab_faces", plugin_dir, task="look", tr=2.0, conditions=["face", "house"],
                        citation="@misc{lab, title={Lab faces}, year={2025}}", adapter="lab_faces")
    monkeypatch.setenv("NEUROALIGN_MANIFESTS", str(plugin_dir))
    register_adapter("lab_faces", "lab_faces_plugin:LabFaces")  # what the entry point does when installed
    recording, = load_dataset("lab_faces").recordings()
    assert recording.descriptors["subject"] == "01" and recording.data.shape[:2] == (2, 2)
    assert issubclass(module.LabFaces, BidsFmriAdapter)
