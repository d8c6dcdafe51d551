"""The RDMs container: construction checks, conversions, selection, HDF5 and rsatoolbox round trips."""

from __future__ import annotations

import numpy as np
import pytest
import rsatoolbox
import scipy.spatial.distance as ssd

from neuroalign import RDMs
from neuroalign.errors import (DataFormatError, DuplicateStimulusError, InvalidRDMError, ShapeMismatchError,
                               StimulusMismatchError)


@pytest.fixture
def square():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 6, 4))
    return np.stack([ssd.squareform(ssd.pdist(p)) for p in x])


IDS = ["a", "b", "c", "d", "e", "f"]


def test_condensed_order_is_scipys(square):
    rdms = RDMs.from_square(square, IDS)
    for k in range(3):
        np.testing.assert_array_equal(rdms.dissimilarities[k], ssd.squareform(square[k], checks=False))
    np.testing.assert_array_equal(rdms.to_square(), square)


def test_one_dimensional_vector_is_one_rdm(square):
    rdms = RDMs(ssd.squareform(square[0]), IDS)
    assert rdms.n_rdms == 1 and rdms.n_pairs == 15 and rdms.n_stimuli == 6


def test_asymmetric_matrix_names_the_pair(square):
    bad = square.copy()
    bad[1, 2, 4] += 0.5
    with pytest.raises(InvalidRDMError, match=r"RDM 1 is not symmetric: entry \('c', 'e'\)"):
        RDMs.from_square(bad, IDS)


def test_nonzero_diagonal_names_the_stimulus(square):
    bad = square.copy()
    bad[0, 3, 3] = 0.1
    with pytest.raises(InvalidRDMError, match="non-zero diagonal.*'d'"):
        RDMs.from_square(bad, IDS)


def test_duplicate_and_mismatched_ids(square):
    with pytest.raises(DuplicateStimulusError, match="'b'"):
        RDMs.from_square(square, ["a", "b", "b", "d", "e", "f"])
    with pytest.raises(ShapeMismatchError, match="5 stimulus ids"):
        RDMs.from_square(square, IDS[:5])
    with pytest.raises(ShapeMismatchError, match="describe 6 stimuli"):
        RDMs(ssd.squareform(square[0]), IDS[:5])
    with pytest.raises(InvalidRDMError, match="no integer solution"):
        RDMs(np.ones(14), IDS)


def test_infinite_dissimilarity_names_the_pair(square):
    vec = ssd.squareform(square[0])
    vec[0] = np.inf
    with pytest.raises(InvalidRDMError, match="'a' and 'b'"):
        RDMs(vec, IDS)


def test_container_is_immutable(square):
    rdms = RDMs.from_square(square, IDS, descriptors={"subject": [1, 2, 3]})
    with pytest.raises(ValueError):
        rdms.dissimilarities[0, 0] = 5.0
    table = rdms.descriptors
    table["subject"] = 0  # a copy: the container is unchanged
    assert list(rdms.descriptors["subject"]) == [1, 2, 3]
    source = ssd.squareform(square[0])
    RDMs(source, IDS)
    source[0] = 99.0  # the container copied its input
    assert RDMs(ssd.squareform(square[0]), IDS).dissimilarities[0, 0] != 99.0


def test_reorder_follows_ids(square):
    rdms = RDMs.from_square(square, IDS)
    order = ["f", "c", "a", "e"]
    pos = [IDS.index(i) for i in order]
    expected = square[:, pos][:, :, pos]
    np.testing.assert_array_equal(rdms.reorder(order).to_square(), expected)
    assert rdms.reorder(order).stimulus_ids == tuple(order)
    with pytest.raises(StimulusMismatchError, match="'zz'"):
        rdms.reorder(["a", "zz"])


def test_aligned_to_requires_the_same_ids(square):
    a = RDMs.from_square(square, IDS)
    b = a.reorder(IDS[::-1])
    np.testing.assert_array_equal(b.aligned_to(a).dissimilarities, a.dissimilarities)
    with pytest.raises(StimulusMismatchError, match="only in the target: 'g'"):
        a.aligned_to(IDS[:5] + ["g"])


def test_select_getitem_and_descriptors(square):
    rdms = RDMs.from_square(square, IDS, descriptors={"subject": ["s1", "s2", "s3"], "roi": "IT"})
    assert rdms.select(subject="s2").n_rdms == 1
    assert rdms.select(subject=["s1", "s3"]).n_rdms == 2
    np.testing.assert_array_equal(rdms[2].dissimilarities, rdms.dissimilarities[2:3])
    assert list(rdms[[0, 2]].descriptors["subject"]) == ["s1", "s3"]
    with pytest.raises(KeyError, match="no RDM descriptor 'session'"):
        rdms.select(session=1)
    with pytest.raises(LookupError, match="no RDM matches"):
        rdms.select(subject="s9")
    assert list(rdms.with_descriptors(session=[1, 2, 1]).descriptors["session"]) == [1, 2, 1]


def test_mean_skips_missing_pairs(square):
    vectors = np.stack([ssd.squareform(m) for m in square])
    vectors[0, 3] = np.nan
    rdms = RDMs(vectors, IDS, descriptors={"roi": "IT", "subject": [1, 2, 3]})
    mean = rdms.mean()
    np.testing.assert_allclose(mean.dissimilarities[0, 3], vectors[1:, 3].mean(), rtol=1e-15)
    np.testing.assert_allclose(mean.dissimilarities[0, 0], vectors[:, 0].mean(), rtol=1e-15)
    assert list(mean.descriptors.columns) == ["roi"]  # only descriptors shared by all RDMs survive
    weighted = rdms[1:].mean(weights=[1, 3])
    np.testing.assert_allclose(weighted.dissimilarities[0], (vectors[1] + 3 * vectors[2]) / 4, rtol=1e-15)


def test_concat_reorders_and_leaves_inputs_untouched(square):
    a = RDMs.from_square(square[:1], IDS, descriptors={"subject": ["s1"]}, distance="euclidean")
    b = RDMs.from_square(square[1:], IDS, descriptors={"subject": ["s2", "s3"]}, distance="euclidean").reorder(IDS[::-1])
    before = b.dissimilarities.copy()
    both = RDMs.concat(a, b)
    assert both.n_rdms == 3 and both.stimulus_ids == tuple(IDS) and both.distance == "euclidean"
    np.testing.assert_array_equal(both.to_square(), square)
    np.testing.assert_array_equal(b.dissimilarities, before)
    assert b.stimulus_ids == tuple(IDS[::-1])


def test_rsatoolbox_round_trip(square):
    rdms = RDMs.from_square(square, IDS, descriptors={"subject": ["s1", "s2", "s3"]}, distance="correlation")
    theirs = rdms.to_rsatoolbox()
    assert isinstance(theirs, rsatoolbox.rdm.RDMs)
    np.testing.assert_array_equal(theirs.get_vectors(), rdms.dissimilarities)
    np.testing.assert_array_equal(theirs.get_matrices(), square)
    assert list(theirs.pattern_descriptors["stimulus_id"]) == IDS
    back = RDMs.from_rsatoolbox(theirs)
    np.testing.assert_array_equal(back.dissimilarities, rdms.dissimilarities)
    assert back.stimulus_ids == rdms.stimulus_ids
    assert list(back.descriptors["subject"]) == ["s1", "s2", "s3"]


def test_from_plain_rsatoolbox_uses_its_index():
    theirs = rsatoolbox.rdm.RDMs(np.arange(1.0, 4.0)[None])
    back = RDMs.from_rsatoolbox(theirs)
    assert back.stimulus_ids == ("0", "1", "2")


def test_hdf5_round_trip(tmp_path, square):
    vectors = np.stack([ssd.squareform(m) for m in square])
    vectors[1, 2] = np.nan
    rdms = RDMs(vectors, IDS, descriptors={"subject": ["s1", "s2", "s3"], "session": [1, 1, 2]}, distance="crossnobis")
    path = tmp_path / "rdms.h5"
    rdms.to_hdf5(path)
    back = RDMs.from_hdf5(path)
    np.testing.assert_array_equal(back.dissimilarities, rdms.dissimilarities)
    assert back.stimulus_ids == rdms.stimulus_ids and back.distance == "crossnobis"
    assert back.descriptors.to_dict() == rdms.descriptors.to_dict()


def test_failed_hdf5_write_leaves_nothing(tmp_path, square):
    rdms = RDMs.from_square(square, IDS)
    target = tmp_path / "taken"
    target.mkdir()  # the final rename onto a directory fails after the temporary file was written
    with pytest.raises(OSError):
        rdms.to_hdf5(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    assert not any(target.iterdir())


def test_hdf5_rejects_foreign_files(tmp_path):
    import h5py

    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f["x"] = 1
    with pytest.raises(DataFormatError, match="other.h5: format: is not a neuroalign RDMs file"):
        RDMs.from_hdf5(path)


def test_dataframe_long_form(square):
    frame = RDMs.from_square(square[:2], IDS, descriptors={"subject": ["s1", "s2"]}).to_dataframe()
    assert len(frame) == 2 * 15
    row = frame[(frame.subject == "s2") & (frame.stimulus_a == "b") & (frame.stimulus_b == "e")]
    assert row.dissimilarity.item() == square[1, 1, 4]
