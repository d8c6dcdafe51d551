"""Manifests: the real ones are valid; every kind of malformed one gets an error naming the file and field."""

from __future__ import annotations

import pytest

from neuroalign.cli.main import main
from neuroalign.data import ManifestError, list_manifests, load_manifest, read_manifest_file
from neuroalign.datasets import load_dataset, validate_manifests
from neuroalign.errors import UnknownNameError

from data_helpers import write_manifest

REAL = ["haxby2001_subj1_slice", "kriegeskorte2008_92images", "ssvep_eeg_64ch"]
FILE = '[[files]]\nname = "x.npz"\nsha256 = "{sha}"\nsize = 10\norigin = "by hand"'
GOOD_SHA = "a" * 64


def test_real_manifests_are_valid_and_complete():
    assert set(REAL) <= set(list_manifests())
    assert validate_manifests() == []
    for dataset_id in REAL:
        manifest = load_manifest(dataset_id)
        assert manifest.citation.startswith("@") and manifest.licence and manifest.adapter is not None
        assert all(len(f.sha256) == 64 and f.size > 0 for f in manifest.files)
    # no download address is named for a file whose only public copy sits inside a package registry's archive
    assert all(f.url is None and f.origin for f in load_manifest("ssvep_eeg_64ch").files)
    with pytest.raises(UnknownNameError, match="Did you mean '92_brainRDMs.mat'"):
        load_manifest(REAL[1]).file("92_brainRDM.mat")
    with pytest.raises(UnknownNameError, match="unknown dataset"):
        load_manifest("kriegeskorte2009")


def test_manifest_parameters_are_read_only():
    manifest = load_manifest("haxby2001_subj1_slice")
    with pytest.raises(TypeError):
        manifest.adapter.params["tr"] = 3.0  # type: ignore[index]


@pytest.mark.parametrize("overrides, files, field, message", [
    ({"licence": None}, FILE.format(sha=GOOD_SHA), "licence", "required"),
    ({"version": "1"}, FILE.format(sha=GOOD_SHA), "version", "must be of type string"),
    ({"modality": '"smell"'}, FILE.format(sha=GOOD_SHA), "modality", "smell"),
    ({"citation": '"no bibtex"'}, FILE.format(sha=GOOD_SHA), "citation", "does not match"),
    ({}, FILE.format(sha="abc123"), "files[0].sha256", "does not match"),
    ({}, '[[files]]\nname = "x.npz"\nsize = 10\norigin = "by hand"', "files[0]", "exactly one checksum"),
    ({}, '[[files]]\nname = "x.npz"\nsha256 = "' + GOOD_SHA + '"\nsize = 10', "files[0]", "exactly one source"),
    ({}, '[[files]]\nname = "../x.npz"\nsha256 = "' + GOOD_SHA + '"\nsize = 1\norigin = "x"', "files[0].name", "does not match"),
    ({}, FILE.format(sha=GOOD_SHA) + "\n\n" + FILE.format(sha=GOOD_SHA), "files[1].name", "duplicate"),
    ({"id": '"other"'}, FILE.format(sha=GOOD_SHA), "id", "named good.toml"),
    ({"licnce": '"CC0"'}, FILE.format(sha=GOOD_SHA), "licnce", "not a known field"),
])
def test_malformed_manifests_name_file_and_field(tmp_path, overrides, files, field, message):
    path = write_manifest(tmp_path, "good", files, **overrides)
    with pytest.raises(ManifestError, match=message) as info:
        read_manifest_file(path)
    assert info.value.field == field and info.value.path == str(path)
    assert str(path) in str(info.value) and repr(field) in str(info.value)
    assert [(p.path, p.field) for p in validate_manifests([path])][0] == (path, field)


def test_dangling_archive_and_invalid_toml(tmp_path):
    path = write_manifest(tmp_path, "arch", '[[files]]\nname = "x"\nsha256 = "' + GOOD_SHA
                          + '"\nsize = 1\narchive = "nope.zip"\nmember = "x"')
    with pytest.raises(ManifestError, match="names archive 'nope.zip'"):
        read_manifest_file(path)
    bad = tmp_path / "broken.toml"
    bad.write_text("id = ")
    assert validate_manifests([bad])[0].field == "<root>"


def test_unknown_adapter_duplicate_id_and_bad_params(tmp_path, monkeypatch, capsys):
    first = write_manifest(tmp_path / "a", "mine", FILE.format(sha=GOOD_SHA), adapter='name = "rdm_file"')
    second = write_manifest(tmp_path / "b", "mine", FILE.format(sha=GOOD_SHA))
    problems = validate_manifests([first, second])
    assert [(p.path, p.field) for p in problems] == [(first, "adapter.name"), (second, "id")]
    assert "Did you mean 'rdm_files'" in problems[0].message and str(first) in problems[1].message
    monkeypatch.setenv("NEUROALIGN_MANIFESTS", f"{tmp_path / 'a'}")
    assert main(["data", "validate"]) == 1
    assert "adapter.name" in capsys.readouterr().out
    params = write_manifest(tmp_path / "c", "params", FILE.format(sha=GOOD_SHA),
                            adapter='name = "rdm_files"\n[adapter.params]\nstimulus_ids = ["a"]\nrdm = []')
    with pytest.raises(ManifestError, match="is not a parameter of adapter 'rdm_files'") as info:
        load_dataset(read_manifest_file(params))
    assert info.value.field == "adapter.params.rdm"
