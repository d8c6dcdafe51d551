"""Defects of the HuggingFace adapters found while adding models by id, each fixed for ``from_pretrained`` too."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import torch

from neuroalign.core.stimuli import StimulusSet
from neuroalign.models import HFAudioAdapter, HFTextAdapter, HFVisionAdapter

transformers = pytest.importorskip("transformers")


def test_random_pooler_of_a_masked_lm_checkpoint_is_no_layer_and_keeps_the_key(tiny_models):
    """A masked-LM checkpoint has no pooler; from_pretrained draws one at random on every load. It was offered as
    a layer (random numbers) and hashed into the key (a new cache entry on every load)."""
    first, second = (HFTextAdapter.from_pretrained(tiny_models["tiny-bert"]) for _ in range(2))
    assert not torch.equal(first.model.pooler.dense.weight, second.model.pooler.dense.weight)
    assert first.fingerprint() == second.fingerprint()
    assert not any(name.startswith("pooler") for name in first.layers)


def test_convnets_offer_one_hidden_state_per_stage(tiny_models):
    """ResNet and ConvNeXt configs have no num_hidden_layers: their hidden states were not offered at all."""
    adapter = HFVisionAdapter.from_pretrained(tiny_models["tiny-resnet"])
    assert adapter.layers[:5] == tuple(f"hidden_states.{i}" for i in range(5))


@torch.inference_mode()
def test_causal_lm_pads_on_the_right_whatever_its_tokenizer_says(tiny_models, tmp_path):
    """Many decoder tokenizers pad on the left; without position ids that shifts GPT-2's positions and changes
    every real token's state, so a text's activations depended on the batch it was in."""
    folder = tmp_path / "gpt2-left"
    shutil.copytree(tiny_models["tiny-gpt2"], folder)
    config = json.loads((folder / "tokenizer_config.json").read_text())
    (folder / "tokenizer_config.json").write_text(json.dumps({**config, "padding_side": "left"}))
    adapter = HFTextAdapter.from_pretrained(folder, causal=True, default_pooling="last_token")
    texts = ["a cat", "the big red car sat on the mat"]
    batch = adapter.extract(StimulusSet(["a", "b"], payloads={"text": texts}), "hidden_states.2", cache=None)
    alone = adapter.extract(StimulusSet(["a"], payloads={"text": texts[:1]}), "hidden_states.2", cache=None)
    np.testing.assert_allclose(batch.layer("hidden_states.2")[0], alone.layer("hidden_states.2")[0], atol=1e-5)


@torch.inference_mode()
def test_texts_are_cut_to_the_models_positions(tiny_models):
    """A model with 64 position embeddings crashed on a text of more than 64 tokens (max_length was 512)."""
    adapter = HFTextAdapter.from_pretrained(tiny_models["tiny-bert"])
    long = " ".join(["cat"] * 200)
    acts = adapter.extract(StimulusSet(["long"], payloads={"text": [long]}), "hidden_states.2", cache=None)
    tok = transformers.AutoTokenizer.from_pretrained(tiny_models["tiny-bert"])
    out = adapter.model(**tok(long, truncation=True, max_length=64, return_tensors="pt"), output_hidden_states=True)
    np.testing.assert_allclose(acts.layer("hidden_states.2")[0], out.hidden_states[2][0].mean(0), atol=1e-5)


@torch.inference_mode()
def test_audio_without_attention_mask_does_not_depend_on_the_batch(tiny_models):
    """wav2vec2-base style extractors give no attention mask: the model saw a short clip zero-padded to the
    batch's longest, and its group norms changed the clip's features with the batch."""
    adapter = HFAudioAdapter.from_pretrained(tiny_models["tiny-wav2vec2"])
    rng = np.random.default_rng(0)
    clips = [(rng.normal(0, 0.1, 16_000).astype(np.float32), 16_000), (rng.normal(0, 0.1, 11_025), 22_050)]
    both = adapter.extract(StimulusSet(["long", "short"], payloads={"audio": clips}), "hidden_states.1",
                           cache=None, batch_size=2)
    alone = adapter.extract(StimulusSet(["short"], payloads={"audio": clips[1:]}), "hidden_states.1", cache=None)
    np.testing.assert_allclose(both.layer("hidden_states.1")[1], alone.layer("hidden_states.1")[0], atol=1e-5)
