"""RDMs to and from rsatoolbox: labels that mean what rsatoolbox means (issue 14 item 7), RDMs without descriptors and
tuple descriptors (item 24), pattern descriptors, and round trips through rsatoolbox's HDF5 files."""

from __future__ import annotations

import numpy as np
import pytest
import rsatoolbox

import neuroalign.errors as errors
from neuroalign import RDMs, Recording
from neuroalign.datasets import load_dataset
from neuroalign.datasets.loaders.rdm_files import read_rdm_set
from neuroalign.rdm import compute_rdms, noise_precision

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # rsatoolbox casts string descriptors noisily

IDS = [f"s{k:02d}" for k in range(7)]


@pytest.fixture(scope="module")
def haxby(data_mirror):
    recording, = load_dataset("haxby2001_subj1_slice", mirror=data_mirror).recordings(method="average", roi="slice")
    return recording


@pytest.fixture
def runs():
    return Recording(np.random.default_rng(0).normal(size=(3, 7, 12)) + 0.5, IDS, dims=("run", "stimulus", "channel"))


def rsatoolbox_rdms(recording: Recording, method: str, **kwargs) -> RDMs:
    """rsatoolbox's ``calc_rdm`` of a recording's runs, back as RDMs over the recording's ids."""
    runs, n, p = recording.data.shape
    dataset = rsatoolbox.data.Dataset(recording.data.reshape(runs * n, p).astype(np.float64), obs_descriptors={
        "stim": np.tile(recording.stimulus_ids, runs), "run": np.repeat(np.arange(runs), n)})
    cv = {"cv_descriptor": "run"} if method == "crossnobis" else {}
    theirs = rsatoolbox.rdm.calc_rdm(dataset, method=method, descriptor="stim", **cv, **kwargs)
    return RDMs.from_rsatoolbox(theirs, id_descriptor="stim").aligned_to(recording.stimulus_ids)


def test_crossnobis_exports_rsatoolbox_label_only_for_the_value_rsatoolbox_means(haxby):
    plain = compute_rdms(haxby, "crossnobis")
    normalized = compute_rdms(haxby, "crossnobis", normalize=True)
    theirs = rsatoolbox_rdms(haxby, "crossnobis")
    assert plain.to_rsatoolbox().dissimilarity_measure == "neuroalign:crossnobis"
    exported = normalized.to_rsatoolbox()
    assert exported.dissimilarity_measure == "crossnobis"
    np.testing.assert_allclose(exported.get_vectors(), theirs.dissimilarities, rtol=1e-9)
    np.testing.assert_allclose(plain.dissimilarities, normalized.dissimilarities * haxby.n_channels, rtol=1e-12)


@pytest.mark.parametrize("ours, method, root", [
    ("sqeuclidean", "euclidean", False), ("euclidean", "euclidean", True), ("sqmahalanobis", "mahalanobis", False),
    ("mahalanobis", "mahalanobis", True), ("crossnobis", "crossnobis", False), ("correlation", "correlation", False)])
def test_every_rsatoolbox_label_holds_rsatoolbox_values(runs, ours, method, root):
    """The label an export carries is the label rsatoolbox gives to the same values (``calc_rdm``, then
    ``sqrt_transform`` for the plain distances)."""
    noisy = method in ("mahalanobis", "crossnobis")
    options = {"noise": noise_precision(np.random.default_rng(1).normal(size=(40, 12)))} if noisy else {}
    exported = compute_rdms(runs, ours, normalize=ours != "correlation", **options).to_rsatoolbox()
    runs_, n, p = runs.data.shape
    dataset = rsatoolbox.data.Dataset(runs.data.reshape(runs_ * n, p), obs_descriptors={
        "stim": np.tile(IDS, runs_), "run": np.repeat(np.arange(runs_), n)})
    cv = {"cv_descriptor": "run"} if method == "crossnobis" else {}
    theirs = rsatoolbox.rdm.calc_rdm(dataset, method=method, descriptor="stim", **cv, **options)
    theirs = rsatoolbox.rdm.sqrt_transform(theirs) if root else theirs
    assert exported.dissimilarity_measure == theirs.dissimilarity_measure
    np.testing.assert_allclose(exported.get_vectors(), theirs.get_vectors(), rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize("measure, label", [
    ("euclidean", "neuroalign:euclidean"), ("sqeuclidean", "neuroalign:sqeuclidean"), ("mahalanobis", "neuroalign:mahalanobis"),
    ("sqmahalanobis", "neuroalign:sqmahalanobis"), ("cosine", "neuroalign:cosine"),
    ("poisson (normalized)", "neuroalign:poisson (normalized)"), ("poisson_cv", "neuroalign:poisson_cv")])
def test_measures_rsatoolbox_has_no_name_for_say_whose_they_are(runs, measure, label):
    rdms = RDMs(np.arange(1.0, 22.0), IDS, distance=measure)
    assert rdms.to_rsatoolbox().dissimilarity_measure == label


def test_normalize_is_part_of_the_measure_name(runs):
    assert compute_rdms(runs, "euclidean").distance == "euclidean"
    assert compute_rdms(runs, "euclidean", normalize=True).distance == "euclidean (normalized)"


@pytest.mark.parametrize("measure", [None, "correlation", "crossnobis", "crossnobis (normalized)", "euclidean",
                                     "euclidean (normalized)", "sqeuclidean (normalized)"])
def test_round_trip_keeps_measure_and_descriptors(measure):
    rdms = RDMs(np.random.default_rng(2).uniform(size=(2, 21)), IDS, distance=measure,
                descriptors={"subject": ["a", "b"], "shape": [(4, 5), (4, 5)]})
    back = RDMs.from_rsatoolbox(rdms.to_rsatoolbox())
    assert back.distance == measure
    assert back.descriptors.to_dict("list") == rdms.descriptors.to_dict("list")
    np.testing.assert_array_equal(back.dissimilarities, rdms.dissimilarities)


def test_round_trip_through_an_rsatoolbox_hdf5_file(tmp_path):
    rdms = RDMs(np.random.default_rng(3).uniform(size=(2, 21)), IDS, distance="crossnobis (normalized)",
                descriptors={"subject": ["a", "b"]})
    rdms.to_rsatoolbox().save(str(tmp_path / "theirs.hdf5"), file_type="hdf5")
    back = read_rdm_set(tmp_path / "theirs.hdf5")
    assert back.distance == "crossnobis (normalized)" and back.stimulus_ids == tuple(IDS)
    assert list(back.descriptors["subject"]) == ["a", "b"]
    np.testing.assert_array_equal(back.dissimilarities, rdms.dissimilarities)


def test_an_rsatoolbox_transform_makes_the_measure_unknown():
    exported = RDMs(np.arange(1.0, 22.0), IDS, distance="sqeuclidean (normalized)").to_rsatoolbox()
    back = RDMs.from_rsatoolbox(rsatoolbox.rdm.sqrt_transform(exported))
    assert back.distance is None  # rsatoolbox's "euclidean" also names Meadows' plain screen distances
    assert back.descriptors["rsatoolbox_measure"].item() == "euclidean"


def test_rsatoolbox_rdms_with_a_measure_and_no_descriptors():
    patterns = np.random.default_rng(4).normal(size=(5, 8))
    theirs = rsatoolbox.rdm.calc_rdm(rsatoolbox.data.Dataset(patterns), method="euclidean")
    back = RDMs.from_rsatoolbox(theirs)
    assert back.stimulus_ids == ("0", "1", "2", "3", "4") and back.distance is None
    assert list(back.descriptors["rsatoolbox_measure"]) == ["squared euclidean"]
    np.testing.assert_array_equal(back.dissimilarities, theirs.get_vectors())
    bare = RDMs.from_rsatoolbox(rsatoolbox.rdm.RDMs(theirs.get_vectors(), dissimilarity_measure="euclidean"))
    np.testing.assert_array_equal(bare.dissimilarities, theirs.get_vectors())


def test_own_round_trip_without_descriptors():
    rdms = RDMs(np.arange(1.0, 22.0), IDS, distance="crossnobis")
    assert RDMs.from_rsatoolbox(rdms.to_rsatoolbox()).distance == "crossnobis"


def test_pattern_descriptors_other_than_ids_must_be_named(runs):
    runs_, n, p = runs.data.shape
    dataset = rsatoolbox.data.Dataset(runs.data.reshape(runs_ * n, p), obs_descriptors={
        "stim": np.tile(IDS, runs_), "run": np.repeat(np.arange(runs_), n)})
    theirs = rsatoolbox.rdm.calc_rdm(dataset, method="euclidean", descriptor="stim")
    with pytest.raises(errors.InvalidOptionError, match="id_descriptor='stim'"):
        RDMs.from_rsatoolbox(theirs)
    with pytest.raises(errors.UnknownNameError, match="no pattern descriptor 'stimulus'"):
        RDMs.from_rsatoolbox(theirs, id_descriptor="stimulus")
    assert RDMs.from_rsatoolbox(theirs, id_descriptor="stim").stimulus_ids == tuple(IDS)


def test_reordered_rsatoolbox_stimuli_join_by_their_ids(runs):
    """Two rsatoolbox RDMs over the same stimuli in other orders must not be joined by position."""
    from neuroalign.compare import compare

    order = [3, 0, 6, 1, 5, 2, 4]
    flat = runs.data.mean(axis=0)
    a = rsatoolbox.rdm.calc_rdm(rsatoolbox.data.Dataset(flat, obs_descriptors={"stim": IDS}), descriptor="stim")
    b = rsatoolbox.rdm.calc_rdm(rsatoolbox.data.Dataset(flat[order], obs_descriptors={
        "stim": [IDS[k] for k in order]}), descriptor="stim")
    ours_a, ours_b = (RDMs.from_rsatoolbox(r, id_descriptor="stim") for r in (a, b))
    assert compare(ours_a, ours_b, "pearson")[0, 0] == pytest.approx(1.0, abs=1e-12)


def test_to_dataframe_of_the_haxby_rdms_keeps_tuple_descriptors(haxby):
    rdms = compute_rdms(haxby, "correlation")
    frame = rdms.to_dataframe()
    assert len(frame) == 28 and set(frame["volume_shape"]) == {(40, 20, 1)}
    assert (frame["subject"] == "subj1").all()


def test_tuple_descriptors_survive_hdf5_and_can_be_grouped(haxby, tmp_path):
    rdms = RDMs.concat(compute_rdms(haxby, "correlation"), compute_rdms(haxby, "euclidean"))
    rdms.to_hdf5(tmp_path / "haxby.h5")
    back = RDMs.from_hdf5(tmp_path / "haxby.h5")
    assert list(back.descriptors["volume_shape"]) == [(40, 20, 1), (40, 20, 1)]
    assert back.mean().descriptors["volume_shape"].item() == (40, 20, 1)
