"""Manifests and the checksummed mirror lookup."""

from __future__ import annotations

import shutil

import pytest

from neuroalign.data import DataFileError, load_manifest, locate_file
from neuroalign.data.mirror import MIRROR_ENV, sha256_of
from neuroalign.errors import UnknownNameError

DATASET = "kriegeskorte2008_92images"


def test_manifest_lists_checksummed_files():
    manifest = load_manifest(DATASET)
    assert manifest.id == DATASET
    assert "@article{kriegeskorte2008matching" in manifest.citation
    assert all(len(f.sha256) == 64 for f in manifest.files)
    with pytest.raises(UnknownNameError, match="Did you mean '92_brainRDMs.mat'"):
        manifest.file("92_brainRDM.mat")
    with pytest.raises(UnknownNameError, match="unknown dataset"):
        load_manifest("kriegeskorte2009")


def test_real_files_match_their_manifest(data_mirror):
    for entry in load_manifest(DATASET).files:
        path = locate_file(DATASET, entry.name, mirror=data_mirror)
        assert path.stat().st_size == entry.size


def test_missing_and_corrupt_files_are_reported(tmp_path, data_mirror, monkeypatch):
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    with pytest.raises(DataFileError, match="no data mirror configured"):
        locate_file(DATASET, "92_brainRDMs.mat")
    with pytest.raises(DataFileError, match="looked for .*92_brainRDMs.mat"):
        locate_file(DATASET, "92_brainRDMs.mat", mirror=tmp_path)
    corrupt = tmp_path / DATASET / "92_brainRDMs.mat"
    corrupt.parent.mkdir()
    shutil.copy(data_mirror / DATASET / "92_brainRDMs.mat", corrupt)
    with corrupt.open("ab") as fh:
        fh.write(b"\0")
    expected = load_manifest(DATASET).file("92_brainRDMs.mat").sha256
    with pytest.raises(DataFileError, match=f"expected sha256 {expected}, got {sha256_of(corrupt)}"):
        locate_file(DATASET, "92_brainRDMs.mat", mirror=tmp_path)
    monkeypatch.setenv(MIRROR_ENV, str(data_mirror))
    assert locate_file(DATASET, "92_brainRDMs.mat").is_file()
