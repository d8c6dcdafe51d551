"""The first-party model plugins with their real pretrained weights: checks only a working model passes."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from neuroalign.core.stimuli import StimulusSet

#: ImageNet classes 281-285: tabby, tiger cat, Persian, Siamese, Egyptian cat.
DOMESTIC_CATS = range(281, 286)


@pytest.mark.slow
def test_efficientnet_sees_a_cat(tmp_path):
    plugin = pytest.importorskip("neuroalign_efficientnet")
    data = pytest.importorskip("skimage.data")  # scikit-image (BSD-3) ships the public-domain "chelsea" photo
    Image.fromarray(data.chelsea()).save(tmp_path / "chelsea.png")
    Image.fromarray(data.coffee()).save(tmp_path / "coffee.png")
    adapter = plugin.load()
    assert set(plugin.MAIN_LAYERS) <= set(adapter.layers)
    stimuli = StimulusSet(["cat", "coffee"], payloads={"image": [tmp_path / "chelsea.png", tmp_path / "coffee.png"]})
    acts = adapter.extract(stimuli, ["_blocks.15", "output"], cache=tmp_path / "cache")
    logits = acts.layer("output")
    assert int(np.argmax(logits[0])) in DOMESTIC_CATS
    assert int(np.argmax(logits[1])) in (967, 968), "coffee should be an espresso or a cup"
    assert acts.n_units("_blocks.15") == 320  # spatial mean by default


@pytest.mark.slow
def test_minilm_ranks_a_paraphrase_closer_than_an_unrelated_sentence():
    plugin = pytest.importorskip("neuroalign_minilm")
    adapter = plugin.load()
    texts = ["A man is playing a guitar on stage.", "Someone performs music with a guitar in front of a crowd.",
             "The stock market fell sharply on Tuesday."]
    acts = adapter.extract(StimulusSet(["a", "para", "other"], payloads={"text": texts}), "hidden_states.6",
                           cache=None)
    x = acts.layer("hidden_states.6")
    x = x / np.linalg.norm(x, axis=1, keepdims=True)
    assert x[0] @ x[1] > x[0] @ x[2] + 0.3


@pytest.mark.slow
def test_smollm2_predicts_the_next_word():
    plugin = pytest.importorskip("neuroalign_smollm2")
    try:
        plugin.gguf_path()
    except FileNotFoundError as error:
        pytest.skip(str(error))
    adapter = plugin.load()
    prompts = ["The capital of France is", "One, two, three, four,"]
    acts = adapter.extract(StimulusSet(["paris", "count"], payloads={"text": prompts}), ["logits", "hidden_states.30"],
                           cache=None)
    tokenizer = adapter.processor
    top = [tokenizer.decode(int(np.argmax(row))).strip() for row in acts.layer("logits")]
    assert top == ["Paris", "five"]
    assert acts.n_units("hidden_states.30") == 576
