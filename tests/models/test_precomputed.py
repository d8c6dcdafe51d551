"""Bring-your-own features from NPZ and HDF5, matched to stimuli by id."""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from neuroalign.core.activations import Activations
from neuroalign.core.stimuli import StimulusSet
from neuroalign.errors import StimulusMismatchError, UnknownNameError
from neuroalign.models import PrecomputedAdapter


@pytest.fixture
def features():
    rng = np.random.default_rng(0)
    return ["a", "b", "c", "d"], rng.standard_normal((4, 5)), rng.standard_normal((4, 2, 3))


def test_npz_rows_follow_the_stimulus_set_order(tmp_path, features):
    ids, conv, fc = features
    np.savez(tmp_path / "f.npz", stimulus_ids=np.array(ids), conv=conv, fc=fc)
    adapter = PrecomputedAdapter(tmp_path / "f.npz")
    assert adapter.layers == ("conv", "fc") and adapter.model_id == "f"
    acts = adapter.extract(StimulusSet(["c", "a"]), "*")
    np.testing.assert_array_equal(acts.layer("conv"), conv[[2, 0]])
    np.testing.assert_array_equal(acts.layer("fc"), fc[[2, 0]].reshape(2, -1))
    with pytest.raises(StimulusMismatchError, match="'zz'"):
        adapter.extract(["a", "zz"], "conv")
    with pytest.raises(UnknownNameError, match="Did you mean 'conv'"):
        adapter.extract(["a"], "cnv")


def test_hdf5_plain_and_activations_files(tmp_path, features):
    ids, conv, fc = features
    with h5py.File(tmp_path / "plain.h5", "w") as f:
        f["stimulus_ids"] = np.array(ids, dtype=object).astype("S")
        f["conv"] = conv
    acts = PrecomputedAdapter(tmp_path / "plain.h5").extract(["d", "b"], "conv")
    np.testing.assert_array_equal(acts.layer("conv"), conv[[3, 1]])
    Activations({"x": conv, "y": fc.reshape(4, -1)}, ids).to_hdf5(tmp_path / "acts.h5")
    adapter = PrecomputedAdapter(tmp_path / "acts.h5", model_id="mine")
    assert adapter.layers == ("x", "y")
    np.testing.assert_array_equal(adapter.extract(["b"], "y").layer("y"), fc[[1]].reshape(1, -1))
