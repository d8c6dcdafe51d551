"""The activation cache: content keys, hits, atomic completion, bad input leaving the cache as it was."""

from __future__ import annotations

import h5py
import numpy as np
import pytest
import torch
from models_helpers import SMALL, draw_images, tiny_adapter, tiny_net
from torch import nn

from neuroalign.cache import ActivationCache
from neuroalign.core.sources import HDF5Source
from neuroalign.core.stimuli import StimulusSet
from neuroalign.models import ImageTransform, InconsistentShapeError, TorchAdapter


def _files(cache: ActivationCache) -> list[str]:
    return sorted(p.name for p in cache.root.rglob("*.h5"))


def test_hit_returns_the_same_lazily_read_file(images, cache):
    first = tiny_adapter().extract(images, ["0", "output"], cache=cache, batch_size=4)
    second = tiny_adapter().extract(images, ["0", "output"], cache=cache, batch_size=7)
    assert first.descriptors["cache_file"] == second.descriptors["cache_file"]
    assert isinstance(second.source("0"), HDF5Source)  # read lazily from the file
    np.testing.assert_array_equal(first.layer("0"), second.layer("0"))
    uncached = tiny_adapter().extract(images, ["0", "output"], cache=None, batch_size=4)
    np.testing.assert_array_equal(first.layer("output"), uncached.layer("output"))
    assert len(_files(cache)) == 1 and len(cache.entries()) == 1 and cache.entries()[0].complete


def test_everything_that_changes_the_numbers_changes_the_key(images, cache, tmp_path):
    base = tiny_adapter().extract(images, "output", cache=cache)
    variants = {
        "weights": lambda: tiny_adapter(seed=1).extract(images, "output", cache=cache),
        "preprocessing": lambda: TorchAdapter(tiny_net(), ImageTransform(size=16, resize=24), model_id="tiny-net")
        .extract(images, "output", cache=cache),
        "pooling": lambda: tiny_adapter().extract(images, ["0", "output"], cache=cache, pooling="spatial_mean"),
        "layers": lambda: tiny_adapter().extract(images, ["0", "output"], cache=cache),
        "ids": lambda: tiny_adapter().extract(
            StimulusSet([f"x{k}" for k in range(10)], payloads={"image": [images.payload(s, "image")
                                                                          for s in images.stimulus_ids]}),
            "output", cache=cache),
    }
    keys = {"base": base.descriptors["cache_file"]}
    for name, run in variants.items():
        keys[name] = run().descriptors["cache_file"]
    assert len(set(keys.values())) == len(keys), keys
    # Editing an image file in place (same path, new pixels) must not serve the stale entry.
    path = images.payload(images.stimulus_ids[0], "image")
    draw_images(tmp_path / "other", 3)[2].replace(path)
    edited = tiny_adapter().extract(images, "output", cache=cache)
    assert edited.descriptors["cache_file"] != keys["base"]
    assert not np.array_equal(edited.layer("output")[0], base.layer("output")[0])
    # ... and weights changed in place on the same model object too.
    adapter = tiny_adapter()
    before = adapter.extract(images, "output", cache=cache).descriptors["cache_file"]
    with torch.no_grad():
        adapter.model[0].bias.add_(1.0)
    assert adapter.extract(images, "output", cache=cache).descriptors["cache_file"] != before


def test_key_document_is_stored_and_readable(images, cache):
    acts = tiny_adapter().extract(images, ["0"], cache=cache, pooling="spatial_mean")
    doc = cache.entries()[0].doc
    assert doc["model_id"] == "tiny-net" and doc["layers"] == ["0"] and doc["pooling"] == {"0": "spatial_mean"}
    assert doc["preprocessing"]["size"] == 16 and len(doc["weights_sha256"]) == 64 and doc["n_stimuli"] == 10
    assert acts.descriptors["weights_sha256"] == doc["weights_sha256"]


class _GrowingOutput(nn.Module):
    """A model whose output size depends on how many batches it has seen (a bug to be caught)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 2, 3)
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        return self.conv(x).flatten(1)[:, : 10 + self.calls]


def test_shape_change_across_batches_is_an_error_and_leaves_the_cache_as_it_was(images, cache):
    tiny_adapter().extract(images, "output", cache=cache)
    before = _files(cache)
    adapter = TorchAdapter(_GrowingOutput(), SMALL, model_id="growing")
    with pytest.raises(InconsistentShapeError, match=r"layer 'output' gave \(12,\) units.*but 11"):
        adapter.extract(images, "output", cache=cache, batch_size=4)
    assert _files(cache) == before
    with pytest.raises(InconsistentShapeError):
        TorchAdapter(_GrowingOutput(), SMALL, model_id="growing").extract(images, "output", cache=None, batch_size=4)


def test_partial_file_is_never_read_as_complete(images, cache):
    adapter = tiny_adapter()

    class Stop(Exception):
        pass

    calls = {"n": 0}

    def stop_after_two(module, inputs, output):
        calls["n"] += 1
        if calls["n"] == 3:
            raise Stop  # an interruption that is not bad input: the partial entry is kept for resuming

    handle = adapter.model[0].register_forward_hook(stop_after_two)
    with pytest.raises(Stop):
        adapter.extract(images, "output", cache=cache, batch_size=3)
    handle.remove()
    (entry,) = cache.entries()
    assert not entry.complete and entry.n_done == 6 and entry.path.name.endswith(".partial.h5")
    with h5py.File(entry.path, "r") as f:
        assert not f.attrs["complete"]
    assert cache.get(entry.key, "tiny-net") is None
    resumed = adapter.extract(images, "output", cache=cache, batch_size=5)  # keeps the entry's batch size 3
    assert [e.complete for e in cache.entries()] == [True]
    straight = tiny_adapter().extract(images, "output", cache=None, batch_size=3)
    np.testing.assert_array_equal(resumed.layer("output"), straight.layer("output"))


def test_clear_by_model_and_partial(images, cache):
    tiny_adapter().extract(images, "output", cache=cache)
    TorchAdapter(tiny_net(), SMALL, model_id="other").extract(images, "output", cache=cache)
    assert [e.model_id for e in cache.clear(model_id="other")] == ["other"]
    assert [e.model_id for e in cache.entries()] == ["tiny-net"]
    assert cache.clear(partial_only=True) == []
    assert len(cache.clear()) == 1 and cache.entries() == []
