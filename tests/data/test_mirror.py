"""The real files in the development mirror match their manifests; ``locate_file`` keeps its meaning."""

from __future__ import annotations

import shutil

import pytest

from neuroalign.data import ChecksumMismatchError, MissingDataError, fetch_dataset, load_manifest, locate_file
from neuroalign.data.mirror import MIRROR_ENV, sha256_of

DATASET = "kriegeskorte2008_92images"


@pytest.mark.parametrize("dataset", ["haxby2001_subj1_slice", DATASET, "ssvep_eeg_64ch"])
def test_real_files_match_their_manifest(data_mirror, dataset):
    paths = fetch_dataset(dataset, mirror=data_mirror)
    for entry in load_manifest(dataset).files:
        assert paths[entry.name] == data_mirror / dataset / entry.name
        assert paths[entry.name].stat().st_size == entry.size


def test_missing_and_corrupt_files_are_reported(tmp_path, data_mirror, monkeypatch):
    with pytest.raises(MissingDataError, match="looked for: .*92_brainRDMs.mat"):
        locate_file(DATASET, "92_brainRDMs.mat", mirror=tmp_path)
    corrupt = tmp_path / DATASET / "92_brainRDMs.mat"
    corrupt.parent.mkdir()
    shutil.copy(data_mirror / DATASET / "92_brainRDMs.mat", corrupt)
    with corrupt.open("ab") as fh:
        fh.write(b"\0")
    expected = load_manifest(DATASET).file("92_brainRDMs.mat").sha256
    with pytest.raises(ChecksumMismatchError, match=f"expected sha256 {expected}, got {sha256_of(corrupt)}"):
        locate_file(DATASET, "92_brainRDMs.mat", mirror=tmp_path)
    monkeypatch.setenv(MIRROR_ENV, str(data_mirror))
    assert locate_file(DATASET, "92_brainRDMs.mat").is_file()
