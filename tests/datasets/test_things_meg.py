"""THINGS-MEG recordings: the preprocessed epochs read with MNE, on a small synthetic epochs file written by MNE
under the manifest's own file names (split into the manifest's four parts); the real data is 8 GB and not here."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from neuroalign.data.manifest import load_manifest, read_manifest_file
from neuroalign.data.mirror import sha256_of
from neuroalign.data.settings import CACHE_ENV, OFFLINE_ENV
from neuroalign.datasets.errors import DataFormatError
from neuroalign.datasets.registry import load_dataset

mne = pytest.importorskip("mne")

EPOCHS = "derivatives/preprocessed/preprocessed_P1-epo.fif"
TABLE = "sourcedata/sample_attributes_P1.csv"
N_CH, N_T, SFREQ = 16, 60, 200.0
TEST_IMAGES, REPS = 10, 12


def _table() -> pd.DataFrame:
    """Rows as the THINGS trial table has them: exp images once, test images 12 times, catch trials."""
    test = [f"images_test_meg/concept{k:02d}/concept{k:02d}_01b.jpg" for k in range(TEST_IMAGES)] * REPS
    exp = [f"images_meg/thing{k:03d}/thing{k:03d}_02s.jpg" for k in range(860)]
    rows = [(p, "test") for p in test] + [(p, "exp") for p in exp] + [("catch/catch_01.jpg", "catch")] * 20
    order = np.random.default_rng(1).permutation(len(rows))
    return pd.DataFrame([rows[k] for k in order], columns=["image_path", "trial_type"])


def _manifest_for(root: Path, target: Path) -> Path:
    """things_meg.toml with the sha256 and size of the files written here in place of the published ones."""
    text = load_manifest("things_meg").path.read_text(encoding="utf-8")
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        text, n = re.subn(rf'(name = "{re.escape(name)}"\nsha256 = ")[0-9a-f]{{64}}("\nsize = )\d+',
                          rf"\g<1>{sha256_of(path)}\g<2>{path.stat().st_size}", text)
        assert n == 1, f"{name} is not a file of the things_meg manifest"
    target.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def things(tmp_path_factory):
    base = tmp_path_factory.mktemp("things")
    root = base / "mirror" / "things_meg"
    (root / "sourcedata").mkdir(parents=True)
    (root / "derivatives" / "preprocessed").mkdir(parents=True)
    table = _table()
    table.to_csv(root / TABLE, index=False)
    rng = np.random.default_rng(0)
    data = rng.normal(0, 1e-13, (len(table), N_CH, N_T))
    data += (table["image_path"].factorize()[0] % 7)[:, None, None] * 1e-13  # an image-specific offset
    info = mne.create_info([f"MRO{k:02d}-4408" for k in range(N_CH)], SFREQ, "mag")
    events = np.column_stack([np.arange(len(table)) * 300, np.zeros(len(table), int), np.ones(len(table), int)])
    epochs = mne.EpochsArray(data, info, events, tmin=-0.1, verbose="error")
    # MNE reserves about 1 MiB of each split for its tags: a split this size holds 1/3.5 of the data (4 files).
    epochs.save(root / EPOCHS, split_size=1_100_000 + int(data.astype(np.float32).nbytes / 3.5), verbose="error")
    manifest = read_manifest_file(_manifest_for(root, base / "things_meg.toml"))
    return root, manifest, table, data.astype(np.float32).astype(np.float64)


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(OFFLINE_ENV, "1")
    monkeypatch.delenv("NEUROALIGN_DATA_MIRROR", raising=False)


def test_mne_writes_the_manifests_four_split_files(things):
    root, manifest, _, _ = things
    written = sorted(p.name for p in (root / "derivatives" / "preprocessed").iterdir())
    declared = sorted(Path(f.name).name for f in manifest.files if f.name.startswith("derivatives/preprocessed/"))
    assert written == declared == ["preprocessed_P1-epo-1.fif", "preprocessed_P1-epo-2.fif",
                                   "preprocessed_P1-epo-3.fif", "preprocessed_P1-epo.fif"]
    adapter = load_dataset(manifest, mirror=root.parent)
    assert adapter.epoch_files() == [EPOCHS] + [EPOCHS.replace("-epo", f"-epo-{k}") for k in (1, 2, 3)]


def test_test_images_repetitions_on_the_run_axis(things):
    root, manifest, table, data = things
    adapter = load_dataset(manifest, mirror=root.parent, trial_types=["test"])
    recording, = adapter.recordings(tmin=0.0)
    images = list(dict.fromkeys(table.loc[table.trial_type == "test", "image_path"]))
    assert recording.stimulus_ids == tuple("/".join(p.split("/")[-2:]) for p in images)
    assert recording.dims == ("run", "stimulus", "channel", "time") and recording.n_runs == REPS
    start = int(round(0.1 * SFREQ))  # tmin=0.0 of epochs that begin at -0.1 s
    for k, image in enumerate(images):
        expected = data[np.flatnonzero(table.image_path == image)][:, :, start:]
        np.testing.assert_allclose(recording.data[:, k], expected, rtol=1e-12, atol=0)
    assert recording.descriptors["subject"] == "BIGMEG1"


def test_every_image_by_default_and_catch_trials_are_one_image(things):
    root, manifest, table, data = things
    recording, = load_dataset(manifest, mirror=root.parent).recordings(level="condition")
    assert recording.n_stimuli == table.image_path.nunique() == TEST_IMAGES + 860 + 1
    catch = recording.stimulus_ids.index("catch/catch_01.jpg")  # 20 catch trials: one image
    assert recording.n_runs == 20 and np.isfinite(recording.data[:, catch]).all()
    mean = recording.average_runs()
    k = recording.stimulus_ids.index("thing005/thing005_02s.jpg")
    np.testing.assert_allclose(mean.data[k], data[np.flatnonzero(table.image_path.str.contains("thing005"))][0],
                               rtol=1e-12, atol=0)


def test_a_trial_table_that_does_not_match_the_epochs_is_refused(things, tmp_path):
    import shutil

    root, _, table, _ = things
    other = tmp_path / "mirror" / "things_meg"
    shutil.copytree(root, other)
    table.iloc[:-1].to_csv(other / TABLE, index=False)
    manifest = read_manifest_file(_manifest_for(other, tmp_path / "things_meg.toml"))
    with pytest.raises(DataFormatError, match=r"1000 epochs, but the trial table .*sample_attributes_P1.csv has 999"):
        load_dataset(manifest, mirror=other.parent).recordings()


@pytest.mark.realdata
def test_real_things_meg_epochs_when_present(data_mirror):
    if not (data_mirror / "things_meg" / EPOCHS).is_file():
        pytest.skip("THINGS-MEG's preprocessed epochs (ds004212, about 8.25 GB for participant 1) are not on this "
                    "machine; `neuroalign data fetch things_meg` downloads them")
    recording, = load_dataset("things_meg", mirror=data_mirror, trial_types=["test"]).recordings(decim=10)
    assert recording.n_stimuli == 200 and recording.dims[0] == "run"
