"""The public datasets' manifests (Haxby 2001 full, Cichy 2014 MEG, Kiloword, THINGS-MEG): hashes as published,
subsets, MNE's fetcher, the 92-image trigger mapping, and the THINGS image checker."""

from __future__ import annotations

import pandas as pd
import pytest
from PIL import Image

from neuroalign.cli.main import main
from neuroalign.data import MissingDataError, load_manifest
from neuroalign.data.coverage import hash_coverage
from neuroalign.data.settings import CACHE_ENV, OFFLINE_ENV
from neuroalign.datasets.errors import DataFormatError
from neuroalign.datasets.things_images import THINGS_ENV, check_things_images
from neuroalign.datasets.visual92_triggers import FLAGS, check_visual_stimuli, condition_name, event_id


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(OFFLINE_ENV, "1")
    monkeypatch.setenv("MNE_DATA", str(tmp_path / "mne_data"))  # an empty MNE folder: nothing is on this machine
    (tmp_path / "mne_data").mkdir()
    monkeypatch.delenv("NEUROALIGN_DATA_MIRROR", raising=False)
    monkeypatch.delenv("NEUROALIGN_MANIFESTS", raising=False)


def test_haxby2001_rows_are_the_published_ones():
    manifest = load_manifest("haxby2001")
    run1 = manifest.file("sub-1/func/sub-1_task-objectviewing_run-01_bold.nii.gz")
    # ds000105 3.0.0: the MD5E annex key and the s3-PUBLIC versionId, as ../shared/DATASOURCES.md lists them.
    assert (run1.md5, run1.size) == ("7e1f97ca1367d33f06e12170feeabe4a", 25669537)
    assert run1.url.endswith("run-01_bold.nii.gz?versionId=PrLtn8mz.k7O9Biw2w_KbzkkDC3GlrSl")
    events = manifest.file("sub-1/func/sub-1_task-objectviewing_run-01_events.tsv")
    assert events.sha256 == "c32ef09c8c083fc17e61d0884e87a08325577a696dfb9e3b9efd49c0dc5fd9e6" and events.size == 1998
    bolds = [f for f in manifest.files if f.name.endswith("_bold.nii.gz")]
    assert len(bolds) == 71 and all(f.md5 and "?versionId=" in f.url for f in bolds)  # 6 x 12 runs, sub-5: 11
    coverage = hash_coverage(manifest)
    assert coverage.published == {"md5": 77, "sha256": 74} and len(coverage.unpublished) == 13


def test_fetch_haxby2001_subject_1_names_exactly_its_files(capsys):
    assert main(["data", "fetch", "haxby2001", "--subjects", "1", "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line.split()[0] for line in lines[:-1]]
    runs = [f"sub-1/func/sub-1_task-objectviewing_run-{r:02d}_{k}" for r in range(1, 13)
            for k in ("bold.nii.gz", "events.tsv")]
    assert sorted(names) == sorted(["README", "dataset_description.json", "task-objectviewing_bold.json",
                                    "sub-1/anat/sub-1_T1w.nii.gz", *runs,
                                    "derivatives/pymvpa/sub-1/sub-1_mask4_vt.nii.gz",
                                    "stimuli/stimuli-2010.01.14.tar.gz"])
    assert lines[-1].startswith("30 file(s)")


def test_list_shows_every_dataset_with_size_licence_hashes_and_presence(capsys):
    assert main(["data", "list"]) == 0
    out = capsys.readouterr().out
    for dataset in ("haxby2001", "cichy2014_visual92", "kiloword", "things_meg", "kriegeskorte2008_92images"):
        assert dataset in out
    assert "licence: CC0" in out and "fetched and verified by mne" in out and "not on this machine" in out
    assert "things_meg" in out and "45/45 published (sha256 45)" in out


def test_info_says_mne_fetches_kiloword_with_its_registry_md5(capsys):
    assert main(["data", "info", "kiloword"]) == 0
    out = capsys.readouterr().out
    assert "mne.datasets.kiloword.data_path()" in out and "mne/datasets/config.py" in out
    assert "md5:3a124170795abbd2e48aae8727e719a8" in out and "not on this machine" in out


def test_manifest_md5s_are_mnes_registry_entries():
    from mne.datasets.config import MNE_DATASETS

    for dataset, keys in (("kiloword", ["kiloword"]),
                          ("cichy2014_visual92", ["visual_92_categories_1", "visual_92_categories_2"])):
        manifest = load_manifest(dataset)
        assert [f"md5:{f.md5}" for f in manifest.files] == [MNE_DATASETS[k]["hash"] for k in keys]
        assert [f.name for f in manifest.files] == [MNE_DATASETS[k]["archive_name"] for k in keys]


def test_offline_mne_dataset_says_how_to_fetch_it():
    from neuroalign.datasets import load_dataset

    with pytest.raises(MissingDataError, match=r"kiloword is not on this machine.*neuroalign data fetch kiloword"):
        load_dataset("kiloword").stimulus_set()


# --- Cichy 2014: MNE's trigger t is Kriegeskorte image t + 1 ----------------------------------------------------------
@pytest.fixture(scope="module")
def images92(data_mirror):
    from neuroalign.datasets import load_dataset

    return load_dataset("kriegeskorte2008_92images", mirror=data_mirror).stimulus_set().metadata


def test_mnes_documented_first_condition_is_image_01(images92):
    # MNE's decoding and RSA examples: event_id["0/human bodypart/human/not-face/animal/natural"] == 1.
    ids = event_id(images92)
    assert ids["0/human bodypart/human/not-face/animal/natural"] == 1
    assert list(ids.values()) == list(range(1, 93)) and len(set(ids)) == 92
    # MNE's example takes the first 24 rows and contrasts 'face' with the rest: 12 body parts then 12 faces.
    first24 = list(ids)[:24]
    assert [name.split("/")[3] for name in first24] == ["not-face"] * 12 + ["face"] * 12


def test_visual_stimuli_csv_in_mnes_format_maps_triggers_to_images(tmp_path, images92):
    rows = [{"trigger": k, "condition": images92.iloc[k]["category"],
             **{f: int(images92.iloc[k][f]) for f in FLAGS}} for k in range(92)]
    good = tmp_path / "visual_stimuli.csv"
    pd.DataFrame(rows).to_csv(good, index=False)
    mapping = check_visual_stimuli(good, images92)
    assert mapping[1] == "img01" and mapping[92] == "img92" and len(mapping) == 92
    rows[0]["face"], rows[12]["face"] = 1, 0  # a table whose order differs from the images'
    bad = tmp_path / "swapped.csv"
    pd.DataFrame(rows).to_csv(bad, index=False)
    with pytest.raises(DataFormatError, match=r"trigger 0.*image img01"):
        check_visual_stimuli(bad, images92)


def test_real_visual_stimuli_csv_matches_when_mne_has_the_data(images92, monkeypatch):
    import mne

    monkeypatch.delenv("MNE_DATA")
    try:
        present = mne.datasets.has_dataset("visual_92_categories")
    except OSError:
        present = False
    if not present:
        pytest.skip("MNE's visual_92_categories (>5 GB) is not on this machine")
    path = mne.datasets.visual_92_categories.data_path(download=False) / "visual_stimuli.csv"
    assert len(check_visual_stimuli(path, images92)) == 92


def test_condition_name_follows_mnes_recipe():
    assert condition_name(5, "nonhuman face", {"human": 0, "face": 1, "animal": 1, "natural": 1}) == \
        "5/nonhuman face/not-human/face/animal/natural"


# --- THINGS: images obtained by hand ----------------------------------------------------------------------------------
def test_things_checker_reports_missing_images(tmp_path, monkeypatch):
    with pytest.raises(MissingDataError, match=r"THINGS images cannot be redistributed.*osf.io/jum2f"):
        check_things_images(["aardvark/aardvark_01b.jpg"])
    root = tmp_path / "things"
    (root / "object_images" / "aardvark").mkdir(parents=True)
    Image.new("RGB", (4, 4)).save(root / "object_images" / "aardvark" / "aardvark_01b.jpg")
    monkeypatch.setenv(THINGS_ENV, str(root))
    check = check_things_images(["images_meg/aardvark/aardvark_01b.jpg", "zebra/zebra_02s.jpg"])
    assert [p.name for p in check.found] == ["aardvark_01b.jpg"] and check.missing == ("zebra/zebra_02s.jpg",)
    assert not check.complete


def test_things_meg_rows_are_the_published_sha256():
    manifest = load_manifest("things_meg")
    meg4 = manifest.file("sub-BIGMEG1/ses-01/meg/sub-BIGMEG1_ses-01_task-main_run-01_meg.ds/"
                         "sub-BIGMEG1_ses-01_task-main_run-01_meg.meg4")
    assert meg4.sha256 == "5a48f8a9be07e4503af46970766f9342367476feb0b88fcbb30bfe9d1b828f55"
    assert meg4.size == 517824008 and meg4.url.endswith("?versionId=cOYNzYMssmdFVFGQ1Zda_eoV8_2xGfEG")
    assert "obtained by hand" in manifest.stimuli["source"]


def test_haxby2001_adapter_finds_every_subjects_runs_from_the_manifest():
    from neuroalign.datasets import load_dataset
    from neuroalign.datasets.loaders.bids_layout import find_runs

    adapter = load_dataset("haxby2001")
    assert adapter.selectors() == {"subject": ("1", "2", "3", "4", "5", "6"), "roi": ("vt",)}
    names = [f.name for f in adapter.manifest.files]
    counts = {s: len(find_runs(names, subject=s, task="objectviewing")) for s in adapter.subjects()}
    assert counts == {"1": 12, "2": 12, "3": 12, "4": 12, "5": 11, "6": 12}
    mask = adapter.manifest.file(adapter.mask.format(subject="3"))
    assert (mask.archive, mask.member, mask.hash) == ("subj3-2010.01.14.tar.gz", "subj3/mask4_vt.nii.gz", "unpublished")
