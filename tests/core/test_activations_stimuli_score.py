"""Activations (in memory and lazily on HDF5), StimulusSet and Score."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign import Activations, Score, StimulusSet
from neuroalign.core.sources import HDF5Source, unit_blocks
from neuroalign.errors import ShapeMismatchError, StimulusMismatchError, UnknownNameError


@pytest.fixture
def acts():
    rng = np.random.default_rng(3)
    return Activations({"conv1": rng.normal(size=(4, 10)), "fc": rng.normal(size=(4, 3)).astype(np.float32)},
                       ["s1", "s2", "s3", "s4"], model_id="toy")


def test_layers_and_blocks(acts):
    assert acts.layer_names == ("conv1", "fc") and acts.n_units("conv1") == 10
    blocks = list(acts.iter_unit_blocks("conv1", 3))
    assert [b.shape[1] for b in blocks] == [3, 3, 3, 1]
    np.testing.assert_array_equal(np.concatenate(blocks, axis=1), acts.layer("conv1"))
    assert list(unit_blocks(5, 5)) == [(0, 5)]


def test_unknown_layer_suggests(acts):
    with pytest.raises(UnknownNameError, match="Did you mean 'conv1'"):
        acts.layer("conv_1")


def test_row_count_must_match_ids():
    with pytest.raises(ShapeMismatchError, match="layer 'x' has 3 rows"):
        Activations({"x": np.zeros((3, 2))}, ["a", "b"])


def test_hdf5_round_trip_is_lazy(tmp_path, acts):
    path = tmp_path / "acts.h5"
    acts.to_hdf5(path, block=4)
    back = Activations.from_hdf5(path)
    assert back.layer_names == acts.layer_names and back.model_id == "toy"
    assert isinstance(back.source("conv1"), HDF5Source)
    for name in acts.layer_names:
        np.testing.assert_array_equal(back.layer(name), acts.layer(name))
        assert back.source(name).dtype == acts.source(name).dtype


def test_stimulus_set_payloads(tmp_path):
    (tmp_path / "cat.png").write_bytes(b"x")
    stim = StimulusSet(["cat", "dog"], metadata={"category": ["animal", "animal"]},
                       payloads={"image": ["cat.png", "dog.png"], "text": ["a cat", "a dog"]}, root=tmp_path)
    assert stim.modalities == ("image", "text")
    assert stim.payload("cat", "image") == tmp_path / "cat.png"
    assert stim.payload("dog", "text") == "a dog"
    assert stim.metadata.loc["dog", "category"] == "animal"
    sub = stim.subset(["dog"])
    assert sub.stimulus_ids == ("dog",) and sub.payload("dog", "text") == "a dog"
    with pytest.raises(StimulusMismatchError, match="no 'text' payload for stimulus ids \\['dog'\\]"):
        StimulusSet(["cat", "dog"], payloads={"text": ["a cat", None]})
    with pytest.raises(KeyError, match="no 'audio' payloads"):
        stim.payload("cat", "audio")


def test_score_normalisation_is_never_clipped():
    score = Score(0.6, "rsa.spearman", ceiling=0.5, interval=(0.4, 0.8), raw=[0.5, 0.7])
    assert score.normalized == pytest.approx(1.2)
    assert score.exceeds_ceiling
    assert score.normalized_interval == pytest.approx((0.8, 1.6))
    assert score.to_dict()["raw"] == [0.5, 0.7]
    assert Score(0.3, "x").normalized is None
    with pytest.raises(ValueError, match="ordered"):
        Score(0.3, "x", interval=(0.5, 0.1))
