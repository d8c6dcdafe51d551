"""``neuroalign.extract``: through the activation cache (resumable), into one HDF5 file with provenance that reads
back as a model, or into ``.npz`` per layer and rsatoolbox datasets."""

from __future__ import annotations

import json
import shutil

import h5py
import numpy as np
import pytest

import neuroalign
from neuroalign.cache import ActivationCache
from neuroalign.core.activations import Activations
from neuroalign.core.stimuli import StimulusSet
from neuroalign.models.hf import load_hf_model
from neuroalign.plugins import load_model

pytest.importorskip("transformers")


def test_hdf5_output_carries_provenance_and_reads_back_as_a_model(tiny_models, hf_home, images, tmp_path):
    out = tmp_path / "vit.h5"
    acts = neuroalign.extract("hf:tiny-org/tiny-vit", images, out, layers=["hidden_states.*", "pooler_output"],
                              cache=tmp_path / "cache", device="cpu")
    commit = (hf_home / "hub" / "models--tiny-org--tiny-vit" / "refs" / "main").read_text()
    with h5py.File(out) as f:
        attrs = dict(f.attrs)
        assert f["layers/hidden_states.1"].attrs["pooling"] == "first_token"
    assert (attrs["model_id"], attrs["revision"], attrs["commit"]) == ("hf:tiny-org/tiny-vit", "main", commit)
    assert json.loads(attrs["pooling"])["pooler_output"] == "flatten" and attrs["n_stimuli"] == 10
    assert attrs["transformers_version"] and attrs["torch_version"] and attrs["neuroalign_version"]
    fresh = load_hf_model("hf:tiny-org/tiny-vit").extract(images, ["hidden_states.*", "pooler_output"], cache=None,
                                                          device="cpu")
    for name in fresh.layer_names:
        assert acts.layer(name).tobytes() == fresh.layer(name).tobytes()
    served = load_model(str(out))  # a features file is a model id: score the extraction anywhere
    assert served.model_id == "hf:tiny-org/tiny-vit" and served.modality == "any"
    subset = images.subset(images.stimulus_ids[::-1][:4])
    np.testing.assert_array_equal(served.extract(subset, "pooler_output").layer("pooler_output"),
                                  fresh.layer("pooler_output")[::-1][:4])


def test_extraction_goes_through_the_cache_and_resumes(tiny_models, images, tmp_path):
    """A run that stops after two batches leaves a partial cache entry; the next call resumes it and the file
    equals an uninterrupted run's, bit for bit."""
    model_id = f"hf:{tiny_models['tiny-convnext']}"
    adapter = load_hf_model(model_id)
    calls = {"n": 0}

    def stop_at_third(module, inputs, output):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt

    handle = adapter.model.encoder.register_forward_hook(stop_at_third)
    with pytest.raises(KeyboardInterrupt):
        neuroalign.extract(adapter, images, tmp_path / "a.h5", batch_size=3, cache=tmp_path / "cache", device="cpu")
    handle.remove()
    (entry,) = ActivationCache(tmp_path / "cache").entries()
    assert not entry.complete and entry.n_done == 6 and not (tmp_path / "a.h5").exists()
    resumed = neuroalign.extract(model_id, images, tmp_path / "a.h5", batch_size=3, cache=tmp_path / "cache",
                                 device="cpu")
    clean = neuroalign.extract(model_id, images, tmp_path / "b.h5", batch_size=3, cache=None, device="cpu")
    assert [e.complete for e in ActivationCache(tmp_path / "cache").entries()] == [True]
    for name in clean.layer_names:
        assert resumed.layer(name).tobytes() == clean.layer(name).tobytes()


def test_folder_stimuli_are_keyed_by_content(tiny_models, tmp_path):
    """Images read from a folder hit the cache after the folder is moved, and miss it after a file is edited."""
    from models_helpers import draw_images

    draw_images(tmp_path / "a", 4)
    cache = tmp_path / "cache"
    model = load_hf_model(f"hf:{tiny_models['tiny-resnet']}")
    first = model.extract(StimulusSet.from_image_folder(tmp_path / "a"), "hidden_states.4", cache=cache)
    shutil.move(tmp_path / "a", tmp_path / "moved")
    again = model.extract(StimulusSet.from_image_folder(tmp_path / "moved"), "hidden_states.4", cache=cache)
    assert again.descriptors["cache_file"] == first.descriptors["cache_file"]
    draw_images(tmp_path / "other", 4)
    shutil.copy(tmp_path / "other" / "img002.png", tmp_path / "moved" / "img000.png")
    edited = model.extract(StimulusSet.from_image_folder(tmp_path / "moved"), "hidden_states.4", cache=cache)
    assert edited.descriptors["cache_file"] != first.descriptors["cache_file"]
    assert len(ActivationCache(cache).entries()) == 2


def test_image_array_stimuli_equal_the_same_pixels_as_files(tiny_models, images, tmp_path):
    from PIL import Image

    pixels = np.stack([np.asarray(Image.open(images.payload(i, "image")).convert("RGB"))
                       for i in images.stimulus_ids])
    np.savez(tmp_path / "imgs.npz", images=pixels, stimulus_ids=np.array(images.stimulus_ids))
    model = load_hf_model(f"hf:{tiny_models['tiny-vit']}")
    from_array = model.extract(StimulusSet.from_image_array(tmp_path / "imgs.npz"), "pooler_output",
                               cache=tmp_path / "cache")
    from_files = model.extract(images, "pooler_output", cache=None)
    assert from_array.layer("pooler_output").tobytes() == from_files.layer("pooler_output").tobytes()
    hit = model.extract(StimulusSet.from_image_array(tmp_path / "imgs.npz"), "pooler_output",
                        cache=tmp_path / "cache")
    assert hit.descriptors["cache_file"] == from_array.descriptors["cache_file"]


def test_npz_and_rsatoolbox_exports(tiny_models, tmp_path):
    from rsatoolbox.data import load_dataset

    texts = StimulusSet(["a", "b", "c"], payloads={"text": ["a cat", "a big dog", "the red car"]})
    acts = neuroalign.extract(f"hf:{tiny_models['tiny-bert']}", texts, tmp_path / "npz", format="npz", cache=None)
    back = load_model(str(tmp_path / "npz" / "hidden_states.2.npz"))
    np.testing.assert_array_equal(back.extract(texts, "hidden_states.2").layer("hidden_states.2"),
                                  acts.layer("hidden_states.2"))
    neuroalign.extract(f"hf:{tiny_models['tiny-bert']}", texts, tmp_path / "rsa", format="rsatoolbox", cache=None)
    dataset = load_dataset(str(tmp_path / "rsa" / "hidden_states.1.hdf5"), file_type="hdf5")
    np.testing.assert_allclose(dataset.measurements, acts.layer("hidden_states.1"), rtol=0, atol=0)
    assert list(dataset.obs_descriptors["stimulus_id"]) == ["a", "b", "c"]
    assert dataset.descriptors["layer"] == "hidden_states.1"


def test_a_dual_encoder_extracts_both_reads_of_a_paired_set(tiny_models, images, tmp_path):
    ids = images.stimulus_ids[:3]
    pairs = StimulusSet(ids, payloads={"image": [images.payload(i, "image") for i in ids],
                                       "text": ["a cat", "a dog", "a car"]})
    acts = neuroalign.extract(f"hf:{tiny_models['tiny-clip']}", pairs, tmp_path / "clip.h5", cache=None)
    assert acts.model_id == f"hf:{tiny_models['tiny-clip']}"
    assert {"image.projection", "text.projection", "text.hidden_states.2"} <= set(acts.layer_names)
    image_only = neuroalign.extract(f"hf:{tiny_models['tiny-clip']}", images, None, cache=None)
    assert all(name.startswith("image.") for name in image_only.layer_names)
    text_read = load_hf_model(f"hf:{tiny_models['tiny-clip']}#text")
    alone = text_read.extract(pairs, "text.projection", cache=None).layer("text.projection")
    np.testing.assert_array_equal(Activations.from_hdf5(tmp_path / "clip.h5").layer("text.projection"), alone)


def test_info_on_a_local_folder_extraction_says_what_identifies_the_model(tiny_models, images, tmp_path):
    from neuroalign.errors import InvalidOptionError
    from neuroalign.models.export import describe_features_file

    out = tmp_path / "vit.h5"
    neuroalign.extract(f"hf:{tiny_models['tiny-vit']}", images, out, layers=["pooler_output"], cache=None,
                       device="cpu")
    fields = dict(describe_features_file(out))
    assert fields["revision"].startswith("none (a local folder") and "commit" not in fields
    assert len(json.loads(fields["source"])["weights_files_sha256"]) == 64
    with pytest.raises(InvalidOptionError, match="format 'parquet' is not one of"):
        neuroalign.extract(f"hf:{tiny_models['tiny-vit']}", images, tmp_path / "x", cache=None, format="parquet")
