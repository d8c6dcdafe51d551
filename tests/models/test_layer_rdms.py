"""Per-layer RDMs for all layers in one call, streamed from the cached HDF5 datasets."""

from __future__ import annotations

import numpy as np
from models_helpers import tiny_adapter

from neuroalign.models.rdms import layer_rdms
from neuroalign.rdm import compute_rdms


def test_layer_rdms_from_the_cache_equal_in_memory_rdms(images, cache):
    adapter = tiny_adapter()
    rdms = layer_rdms(adapter, images, ["0", "2", "output"], "correlation",
                      extract_options={"cache": cache, "batch_size": 4}, chunk_units=100)
    assert list(rdms.descriptors["layer"]) == ["0", "2", "output"] and rdms.n_stimuli == 10
    in_memory = adapter.extract(images, ["0", "2", "output"], cache=None, batch_size=4)
    for k, layer in enumerate(["0", "2", "output"]):
        expected = compute_rdms(in_memory.layer(layer), "correlation", stimulus_ids=images.stimulus_ids)
        np.testing.assert_allclose(rdms.dissimilarities[k], expected.dissimilarities[0], rtol=1e-10, atol=1e-12)
