"""Streaming over blocks of units gives the in-memory numbers, from arrays, layer sources and real HDF5 files."""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from neuroalign import Activations
from neuroalign.core.sources import ArraySource, HDF5Source
from neuroalign.rdm import compute_rdms, streaming

from rdm_helpers import make_ids, run_recording

P = 23
CHUNKS = [1, 2, 5, 7, P - 1, P, 3 * P]
DISTANCES = {
    "correlation": {},
    "cosine": {},
    "euclidean": {},
    "sqeuclidean": {"normalize": True},
    "sqmahalanobis": {"noise": np.linspace(0.5, 2.0, P)},
    "mahalanobis": {"noise": np.linspace(0.5, 2.0, P)},
    "poisson": {},
}


class CountingSource:
    """An in-memory LayerSource that records the widths it was asked for."""

    def __init__(self, array):
        self.inner = ArraySource(array)
        self.widths = []

    @property
    def shape(self):
        return self.inner.shape

    @property
    def dtype(self):
        return self.inner.dtype

    def read_units(self, start, stop):
        self.widths.append(stop - start)
        return self.inner.read_units(start, stop)


@pytest.fixture
def layer(rng):
    return rng.gamma(2.0, size=(9, P)) + 0.5  # positive, so Poisson applies as well


@pytest.mark.parametrize("name", sorted(DISTANCES))
@pytest.mark.parametrize("chunk", CHUNKS)
def test_streamed_source_equals_in_memory(layer, name, chunk):
    ids = make_ids(len(layer))
    whole = compute_rdms(layer, name, stimulus_ids=ids, **DISTANCES[name]).dissimilarities
    source = CountingSource(layer)
    streamed = compute_rdms(source, name, stimulus_ids=ids, chunk_units=chunk, **DISTANCES[name]).dissimilarities
    np.testing.assert_allclose(streamed, whole, rtol=1e-12, atol=1e-14)
    assert max(source.widths) <= chunk and sum(source.widths) == P


@pytest.mark.parametrize("name", ["crossnobis", "poisson_cv", "correlation"])
@pytest.mark.parametrize("chunk", [1, 4, 9, 40])
def test_streamed_recording_with_runs_equals_one_block(rng, name, chunk):
    recording = run_recording(rng.gamma(2.0, size=(3, 8, 40)))
    whole = compute_rdms(recording, name).dissimilarities
    np.testing.assert_allclose(compute_rdms(recording, name, chunk_units=chunk).dissimilarities, whole,
                               rtol=1e-11, atol=1e-13)


@pytest.mark.parametrize("chunk", [1, 6, 64, 250, None])
def test_real_hdf5_file_streams_to_the_in_memory_result(tmp_path, rng, chunk):
    layer = (rng.normal(size=(12, 250)) * 3 + 10).astype(np.float32)
    path = tmp_path / "layer.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("acts/fc", data=layer, chunks=(12, 16))
    ids = make_ids(12)
    whole = compute_rdms(layer.astype(np.float64), "correlation", stimulus_ids=ids).dissimilarities
    by_pair = compute_rdms((path, "acts/fc"), "correlation", stimulus_ids=ids, chunk_units=chunk)
    by_source = compute_rdms(HDF5Source(path, "acts/fc"), "correlation", stimulus_ids=ids, chunk_units=chunk)
    np.testing.assert_allclose(by_pair.dissimilarities, whole, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(by_source.dissimilarities, by_pair.dissimilarities)


def test_activations_give_one_rdm_per_layer_with_layer_and_model_descriptors(tmp_path, rng):
    layers = {"conv1": rng.normal(size=(7, 30)), "conv2": rng.normal(size=(7, 30)), "fc": rng.normal(size=(7, 5))}
    acts = Activations(layers, make_ids(7), model_id="net")
    acts.to_hdf5(tmp_path / "acts.h5")
    on_disk = Activations.from_hdf5(tmp_path / "acts.h5")
    rdms = compute_rdms(on_disk, "sqeuclidean", chunk_units=4)
    assert list(rdms.descriptors["layer"]) == ["conv1", "conv2", "fc"]
    assert list(rdms.descriptors["model"]) == ["net"] * 3
    for k, name in enumerate(layers):
        alone = compute_rdms(layers[name], "sqeuclidean", stimulus_ids=make_ids(7)).dissimilarities[0]
        np.testing.assert_allclose(rdms.dissimilarities[k], alone, rtol=1e-12)


def test_default_blocks_follow_the_memory_budget(monkeypatch, layer):
    monkeypatch.setattr(streaming, "BLOCK_BUDGET_BYTES", 9 * 8 * 5 * 4)  # room for 4 units per block
    source = CountingSource(layer)
    streamed = compute_rdms(source, "correlation", stimulus_ids=make_ids(9)).dissimilarities
    assert max(source.widths) == 4 and len(source.widths) == 6
    whole = compute_rdms(layer, "correlation", stimulus_ids=make_ids(9)).dissimilarities
    np.testing.assert_allclose(streamed, whole, rtol=1e-12)


def test_in_memory_data_is_one_block_by_default(layer):
    source = CountingSource(layer)
    compute_rdms(source, "correlation", stimulus_ids=make_ids(9))
    assert source.widths == [P]
