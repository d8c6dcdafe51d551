"""Any transformers model by id (``hf:/path``, ``hf:ORG/NAME[@REV]``), checked on values: every pooled layer equals a
forward pass written out by hand with transformers (one stimulus at a time, so no padding is involved)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from neuroalign.core.stimuli import StimulusSet
from neuroalign.models.hf import load_hf_model

transformers = pytest.importorskip("transformers")

TEXTS = ["the cat sat on the mat", "a dog", "a photo of a big red car and a small house"]
ATOL = 1e-5


def texts() -> StimulusSet:
    return StimulusSet([f"t{k}" for k in range(len(TEXTS))], payloads={"text": TEXTS})


def _hf(folder, cls="AutoModel"):
    return getattr(transformers, cls).from_pretrained(folder).eval()


@torch.inference_mode()
def test_text_encoder_mean_over_real_tokens_equals_each_text_alone(tiny_models):
    adapter = load_hf_model(f"hf:{tiny_models['tiny-bert']}")
    assert adapter.family.kind == "text-encoder"
    assert adapter.main_layers == tuple(f"hidden_states.{i}" for i in range(3))
    acts = adapter.extract(texts(), [*adapter.main_layers, "last_hidden_state"], cache=None, device="cpu")
    model, tok = _hf(tiny_models["tiny-bert"]), transformers.AutoTokenizer.from_pretrained(tiny_models["tiny-bert"])
    for k, text in enumerate(TEXTS):
        out = model(**tok(text, return_tensors="pt"), output_hidden_states=True)
        for i, h in enumerate(out.hidden_states):
            np.testing.assert_allclose(acts.layer(f"hidden_states.{i}")[k], h[0].mean(0).numpy(), atol=ATOL)
        np.testing.assert_allclose(acts.layer("last_hidden_state")[k], out.last_hidden_state[0].mean(0), atol=ATOL)


def test_untrained_pooler_is_no_layer_and_does_not_change_the_key(tiny_models):
    """A BertForMaskedLM checkpoint holds no pooler: from_pretrained draws it at random on every load. It is never
    offered as a layer, and it is left out of the weights hash, so two loads share one cache key."""
    first, second = (load_hf_model(f"hf:{tiny_models['tiny-bert']}") for _ in range(2))
    assert not torch.equal(first.model.pooler.dense.weight, second.model.pooler.dense.weight)
    assert "pooler_output" not in first.layers and not any(n.startswith("pooler") for n in first.layers)
    assert first.untrained == {"pooler", "pooler.dense", "pooler.activation"}
    assert first.fingerprint() == second.fingerprint()
    assert "pooler_output" in load_hf_model(f"hf:{tiny_models['tiny-vit']}").layers  # ViTModel's pooler is trained


@torch.inference_mode()
def test_causal_decoder_last_real_token_with_right_padding(tiny_models):
    adapter = load_hf_model(f"hf:{tiny_models['tiny-gpt2']}")
    assert adapter.family.kind == "causal-decoder" and adapter.processor.padding_side == "right"
    acts = adapter.extract(texts(), "hidden_states.*", cache=None, device="cpu")
    model, tok = _hf(tiny_models["tiny-gpt2"]), transformers.AutoTokenizer.from_pretrained(tiny_models["tiny-gpt2"])
    for k, text in enumerate(TEXTS):
        out = model(**tok(text, return_tensors="pt"), output_hidden_states=True)
        for i, h in enumerate(out.hidden_states):
            np.testing.assert_allclose(acts.layer(f"hidden_states.{i}")[k], h[0, -1].numpy(), atol=ATOL)


@torch.inference_mode()
def test_encoder_decoder_reads_the_encoder(tiny_models):
    adapter = load_hf_model(f"hf:{tiny_models['tiny-bart']}")
    acts = adapter.extract(texts(), "last_hidden_state", cache=None, device="cpu")
    model, tok = _hf(tiny_models["tiny-bart"]), transformers.AutoTokenizer.from_pretrained(tiny_models["tiny-bart"])
    for k, text in enumerate(TEXTS):
        full = model(**tok(text, return_tensors="pt"))  # BART builds its decoder inputs from the text itself
        np.testing.assert_allclose(acts.layer("last_hidden_state")[k], full.encoder_last_hidden_state[0].mean(0),
                                   atol=ATOL)


def _vit_pixels(paths, size=32) -> torch.Tensor:
    """ViT's preprocessing written out: bilinear resize to 32 x 32, scale to [0, 1], normalise with 0.5 / 0.5."""
    from PIL import Image

    arrays = []
    for path in paths:
        with Image.open(path) as image:
            x = np.asarray(image.convert("RGB").resize((size, size), Image.Resampling.BILINEAR), dtype=np.float64)
        arrays.append(((x / 255.0 - 0.5) / 0.5).transpose(2, 0, 1))
    return torch.from_numpy(np.stack(arrays)).float()


@torch.inference_mode()
def test_vision_cls_token_and_pooler_equal_a_hand_forward(tiny_models, images):
    adapter = load_hf_model(f"hf:{tiny_models['tiny-vit']}")
    assert adapter.default_pooling["hidden_states.1"] == "first_token"  # ViT has a CLS token
    acts = adapter.extract(images, ["hidden_states.*", "pooler_output"], cache=None, device="cpu", batch_size=4)
    paths = [images.payload(sid, "image") for sid in images.stimulus_ids]
    out = _hf(tiny_models["tiny-vit"])(pixel_values=_vit_pixels(paths), output_hidden_states=True)
    for i, h in enumerate(out.hidden_states):
        np.testing.assert_allclose(acts.layer(f"hidden_states.{i}"), h[:, 0].numpy(), atol=1e-4)
    np.testing.assert_allclose(acts.layer("pooler_output"), out.pooler_output.numpy(), atol=1e-4)


@torch.inference_mode()
def test_convnets_spatial_mean_of_every_stage(tiny_models, images):
    for name in ("tiny-convnext", "tiny-resnet"):
        adapter = load_hf_model(f"hf:{tiny_models[name]}")
        assert adapter.family.kind == "conv-vision" and len(adapter.main_layers) == 5  # stem + 4 stages
        acts = adapter.extract(images, [*adapter.main_layers, "pooler_output"], cache=None, device="cpu")
        processor = transformers.AutoImageProcessor.from_pretrained(tiny_models[name])
        loaded = [images.payload(sid, "image") for sid in images.stimulus_ids]
        from PIL import Image

        pixels = processor(images=[Image.open(p).convert("RGB") for p in loaded], return_tensors="pt")
        out = _hf(tiny_models[name])(**pixels, output_hidden_states=True)
        for i, h in enumerate(out.hidden_states):
            np.testing.assert_allclose(acts.layer(f"hidden_states.{i}"), h.mean((2, 3)).numpy(), atol=ATOL)
        np.testing.assert_allclose(acts.layer("pooler_output"), out.pooler_output.flatten(1).numpy(), atol=ATOL)


@torch.inference_mode()
def test_audio_mean_over_real_frames_whatever_the_batch(tiny_models):
    """wav2vec2-base style (group norm, no attention mask): zero padding would change a short clip's features, so
    clips of different lengths in one batch run separately; each equals its own forward pass."""
    rng = np.random.default_rng(0)
    clips = [rng.normal(0, 0.1, 16_000).astype(np.float32), rng.normal(0, 0.1, 8_000).astype(np.float32),
             rng.normal(0, 0.1, 16_000).astype(np.float32)]
    sounds = StimulusSet(["long", "short", "long2"], payloads={"audio": [(c, 16_000) for c in clips]})
    adapter = load_hf_model(f"hf:{tiny_models['tiny-wav2vec2']}")
    assert adapter.family.kind == "audio"
    acts = adapter.extract(sounds, "hidden_states.*", cache=None, device="cpu", batch_size=3)
    model = _hf(tiny_models["tiny-wav2vec2"])
    extractor = transformers.AutoFeatureExtractor.from_pretrained(tiny_models["tiny-wav2vec2"])
    for k, clip in enumerate(clips):
        out = model(**extractor(clip, sampling_rate=16_000, return_tensors="pt"), output_hidden_states=True)
        assert out.last_hidden_state.shape[1] == (49 if len(clip) == 16_000 else 24)  # 20 ms frames
        np.testing.assert_allclose(acts.layer("hidden_states.2")[k], out.hidden_states[2][0].mean(0), atol=ATOL)


def test_hub_id_loads_the_cached_snapshot_and_pins_its_commit(tiny_models, hf_home):
    by_hub = load_hf_model("hf:tiny-org/tiny-bert")
    by_path = load_hf_model(f"hf:{tiny_models['tiny-bert']}")
    commit = (hf_home / "hub" / "models--tiny-org--tiny-bert" / "refs" / "main").read_text()
    assert by_hub.model_id == "hf:tiny-org/tiny-bert"
    assert by_hub.fingerprint()["source"] == {"repo_id": "tiny-org/tiny-bert", "revision": "main", "commit": commit}
    assert by_path.fingerprint()["source"]["weights_files_sha256"]
    a = by_hub.extract(texts(), "hidden_states.2", cache=None, device="cpu").layer("hidden_states.2")
    b = by_path.extract(texts(), "hidden_states.2", cache=None, device="cpu").layer("hidden_states.2")
    assert a.tobytes() == b.tobytes()
    # the same commit named explicitly, and the preprocessing key names the repository, not this machine's path
    pinned = load_hf_model(f"hf:tiny-org/tiny-bert@{commit}")
    assert pinned.fingerprint()["source"]["commit"] == commit
    assert by_hub.fingerprint()["preprocessing"]["name_or_path"] == f"tiny-org/tiny-bert@{commit}"


def test_moving_main_changes_the_commit_and_the_results_store_key(tiny_models, tmp_path, monkeypatch,
                                                                   add_to_hub_cache):
    from neuroalign.runs.grid import request_parameters
    from neuroalign.benchmarks.policy import StatsPolicy
    from neuroalign.store.key import request_key

    monkeypatch.setenv("HF_HOME", str(tmp_path))
    old = add_to_hub_cache(tiny_models["tiny-vit"], "lab/net", tmp_path / "hub", refs=("main", "v1"))
    first = load_hf_model("hf:lab/net")
    new = add_to_hub_cache(tiny_models["tiny-convnext"], "lab/net", tmp_path / "hub")  # a push, then a download
    second = load_hf_model("hf:lab/net")
    tagged = load_hf_model("hf:lab/net@v1")
    assert old != new and first.fingerprint()["source"]["commit"] == old
    assert second.fingerprint()["source"]["commit"] == new and second.family.kind == "conv-vision"
    assert tagged.fingerprint()["source"] == {"repo_id": "lab/net", "revision": "v1", "commit": old}
    params = [request_parameters(m, None, None, StatsPolicy()) for m in (first, second)]
    assert [p["model_fingerprint"]["source"]["commit"] for p in params] == [old, new]
    assert request_key("hf:lab/net", "b", "1", params[0]) != request_key("hf:lab/net", "b", "1", params[1])


def test_dtype_option_and_the_key(tiny_models, images):
    half = load_hf_model(f"hf:{tiny_models['tiny-vit']}", dtype="bfloat16")
    full = load_hf_model(f"hf:{tiny_models['tiny-vit']}")
    assert next(half.model.parameters()).dtype == torch.bfloat16
    assert half.fingerprint()["dtype"] == "torch.bfloat16" and half.fingerprint() != full.fingerprint()
    a = half.extract(images, "pooler_output", cache=None, device="cpu").layer("pooler_output")
    b = full.extract(images, "pooler_output", cache=None, device="cpu").layer("pooler_output")
    assert a.dtype == np.float32 and np.abs(a - b).max() < 0.05  # the same model, rounded
