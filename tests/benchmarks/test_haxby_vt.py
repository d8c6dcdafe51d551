"""Haxby full VT RSA and category decoding with exemplar images, on a small BIDS folder and stimuli archive written
here (nibabel, PIL, tarfile): features averaged per category, compared with each subject's crossnobis or pairwise
decoding-accuracy RDM; LOSO ceiling."""

from __future__ import annotations

import io
import tarfile

import nibabel as nib
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from scipy.spatial.distance import pdist
from scipy.stats import spearmanr

from neuroalign.benchmarks.haxby_vt import (STIMULI_ARCHIVE, HaxbyVtDecoding, HaxbyVtExemplars,
                                            pairwise_decoding_accuracy)
from neuroalign.data.manifest import MANIFESTS_ENV
from neuroalign.data.settings import CACHE_ENV, OFFLINE_ENV
from neuroalign.datasets.bids_manifest import write_bids_manifest
from neuroalign.datasets.errors import DataFormatError
from neuroalign.rdm import compute_rdms

TR, N_VOL, SHAPE = 2.0, 44, (3, 2, 2)
BLOCKS = [("face", 2), ("house", 12), ("cat", 22), ("scrambledpix", 32)]
CONDITIONS = ["cat", "face", "house", "scrambledpix"]
FOLDERS = {"faces": 3, "houses": 2, "cats": 4, "controls": 2}  # no scrambledpix folder, as a control set


def _archive(path):
    with tarfile.open(path, "w:gz") as tar:
        for folder, n in FOLDERS.items():
            for k in range(n):
                buffer = io.BytesIO()
                Image.new("L", (8, 8), color=10 * k).save(buffer, format="JPEG")
                info = tarfile.TarInfo(f"stimuli/{folder}/{folder}{k}.jpg")
                info.size = buffer.tell()
                buffer.seek(0)
                tar.addfile(info, buffer)


def _run(root, sub, run, rng, patterns):
    data = rng.normal(0, 1.0, (*SHAPE, N_VOL))
    for cond, start in BLOCKS:
        data[..., start + 2:start + 8] += patterns[cond][..., None]
    func = root / f"sub-{sub}" / "func"
    func.mkdir(parents=True, exist_ok=True)
    stem = f"sub-{sub}_task-objectviewing_run-{run:02d}"
    nib.save(nib.Nifti1Image(data.astype(np.float32), np.eye(4)), func / f"{stem}_bold.nii.gz")
    nib.save(nib.Nifti1Image(np.ones(SHAPE, np.uint8), np.eye(4)), func / f"{stem}_desc-brain_mask.nii.gz")
    pd.DataFrame([(s * TR, 8 * TR, c) for c, s in BLOCKS], columns=["onset", "duration", "trial_type"]).to_csv(
        func / f"{stem}_events.tsv", sep="\t", index=False)


@pytest.fixture(scope="module")
def lab_haxby(tmp_path_factory):
    base = tmp_path_factory.mktemp("haxby")
    root = base / "mirror" / "lab_haxby"
    rng = np.random.default_rng(0)
    for sub in ("1", "2", "3"):
        # faces stand out, the rest barely: pairwise decoding is then neither at chance nor perfect everywhere
        patterns = {c: (1.5 if c == "face" else 0.1) * rng.normal(0, 1, SHAPE) for c, _ in BLOCKS}
        for run in (1, 2, 3, 4, 5):
            _run(root, sub, run, rng, patterns)
    (root / "stimuli").mkdir()
    _archive(root / STIMULI_ARCHIVE)
    write_bids_manifest(root, "lab_haxby", base / "manifests", task="objectviewing", tr=TR, conditions=CONDITIONS,
                        citation="@misc{lab, title = {Lab}, year = {2025}}", params={"method": "average"})
    return base


class LabHaxby(HaxbyVtExemplars):
    dataset = "lab_haxby"


@pytest.fixture
def bench(lab_haxby, tmp_path, monkeypatch):
    monkeypatch.setenv(MANIFESTS_ENV, str(lab_haxby / "manifests"))
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(OFFLINE_ENV, "1")
    return LabHaxby(mirror=lab_haxby / "mirror")


def test_exemplars_are_the_archives_category_folders(bench):
    stimuli = bench.stimuli()
    assert stimuli.stimulus_ids[:3] == ("cat/cats0.jpg", "cat/cats1.jpg", "cat/cats2.jpg")
    assert len(stimuli) == FOLDERS["cats"] + FOLDERS["faces"] + FOLDERS["houses"]  # controls belong to none
    assert list(stimuli.metadata["category"]).count("face") == FOLDERS["faces"]
    assert bench.exemplars.without == ("scrambledpix",)
    with Image.open(stimuli.payload("face/faces2.jpg", "image")) as image:
        assert image.size == (8, 8)


def test_score_is_the_mean_spearman_of_category_means_with_each_subjects_rdm(bench):
    ids = list(bench.stimuli().stimulus_ids)
    features = np.random.default_rng(3).normal(size=(len(ids), 5))
    evaluation = bench.evaluate(features, ids)
    categories = ["cat", "face", "house"]
    means = np.stack([features[[i.startswith(f"{c}/") for i in ids]].mean(0) for c in categories])
    model = pdist(means, "correlation")
    adapter = bench.adapter()
    expected = [spearmanr(model, compute_rdms(adapter.recordings(subject=s)[0], "crossnobis")
                          .reorder(categories).dissimilarities[0]).statistic for s in ("1", "2", "3")]
    np.testing.assert_allclose(evaluation.per_subject, expected, rtol=0, atol=1e-12)
    assert evaluation.value == pytest.approx(np.mean(expected), abs=1e-12)
    assert evaluation.ceiling is not None  # three subjects: leave-one-subject-out ceiling
    assert evaluation.details["categories_without_exemplars"] == ["scrambledpix"]
    assert evaluation.details["exemplars_per_category"] == {"cat": 4, "face": 3, "house": 2}


def test_an_archive_without_category_folders_is_refused(tmp_path):
    from neuroalign.datasets.haxby_exemplars import exemplar_images

    with tarfile.open(tmp_path / "s.tar.gz", "w:gz") as tar:
        info = tarfile.TarInfo("stimuli/misc/a.jpg")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(DataFormatError, match=r"archive's image folders are \['misc'\]"):
        exemplar_images(tmp_path / "s.tar.gz", tmp_path / "out", ["face", "house"])
    assert not (tmp_path / "out").exists() and not (tmp_path / ".out.partial").exists()


@pytest.mark.realdata
def test_real_haxby2001_runs_with_its_defaults(data_mirror):
    if not (data_mirror / "haxby2001" / STIMULI_ARCHIVE).is_file():
        pytest.skip("the full Haxby 2001 (OpenNeuro ds000105 and PyMVPA's archives, about 2 GB) is not on this "
                    "machine; `neuroalign data fetch haxby2001` downloads it")
    bench = HaxbyVtExemplars(mirror=data_mirror)
    assert len(bench.stimuli()) > 8 and bench.target.n_rdms == 6


def test_registered_versioned_and_cited():
    import tomllib
    from pathlib import Path

    from neuroalign.data.manifest import load_manifest

    entry_points = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"][
        "entry-points"]["neuroalign.benchmarks"]

    for cls in (HaxbyVtExemplars, HaxbyVtDecoding):
        bench = cls()
        assert entry_points[bench.id] == f"neuroalign.benchmarks.public:{cls.__name__}" and bench.version == "1"
        assert load_manifest("haxby2001").citation.strip() in bench.citation and "nili2014toolbox" in bench.citation
        assert bench.modalities == ("image",) and bench.stats.commitment == "last"
        assert bench.description == cls.__doc__.strip().splitlines()[0]


def _decoding_reference(x):
    """Pairwise accuracy by explicit loops and scipy's Pearson r."""
    from scipy.stats import pearsonr

    n_runs, n = x.shape[:2]
    out = []
    for a in range(n):
        for b in range(a + 1, n):
            score = 0.0
            for run in range(n_runs):
                rest = [k for k in range(n_runs) if k != run]
                ca, cb = x[rest, a].mean(0), x[rest, b].mean(0)
                for own, other, pattern in ((ca, cb, x[run, a]), (cb, ca, x[run, b])):
                    r_own, r_other = pearsonr(pattern, own).statistic, pearsonr(pattern, other).statistic
                    score += 1.0 if r_own > r_other else 0.5 if r_own == r_other else 0.0
            out.append(score / (2 * n_runs))
    return np.array(out)


def test_decoding_accuracy_matches_explicit_loops():

    x = np.random.default_rng(5).normal(size=(4, 5, 7))
    np.testing.assert_allclose(pairwise_decoding_accuracy(x), _decoding_reference(x), rtol=0, atol=1e-15)
    x += 5 * np.random.default_rng(6).normal(size=(1, 5, 7))  # a strong pattern per condition, in every run
    assert (pairwise_decoding_accuracy(x) == 1.0).all()


def test_decoding_benchmark_scores_category_means_against_decoding_rdms(lab_haxby, bench):

    class LabDecoding(HaxbyVtDecoding):
        dataset = "lab_haxby"

    decoding = LabDecoding(mirror=bench.mirror)
    ids = list(decoding.stimuli().stimulus_ids)
    features = np.random.default_rng(4).normal(size=(len(ids), 5))
    categories = ["cat", "face", "house"]
    model = pdist(np.stack([features[[i.startswith(f"{c}/") for i in ids]].mean(0) for c in categories]),
                  "correlation")
    expected = []
    for s in ("1", "2", "3"):
        recording = decoding.adapter().recordings(subject=s)[0].select_stimuli(categories)
        expected.append(spearmanr(model, _decoding_reference(recording.data)).statistic)
    evaluation = decoding.evaluate(features, ids)
    np.testing.assert_allclose(evaluation.per_subject, expected, rtol=0, atol=1e-12)
    assert decoding.target.n_rdms == 3 and evaluation.ceiling is not None
