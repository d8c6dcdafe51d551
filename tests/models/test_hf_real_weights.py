"""The real offline weights the project ships, named by ``hf:`` path: MiniLM's folder inside site-packages loads as
any transformers model and gives exactly what its plugin gives."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.core.stimuli import StimulusSet
from neuroalign.models.hf import load_hf_model

SENTENCES = ["A man is playing a guitar on stage.", "Someone performs music with a guitar in front of a crowd.",
             "The stock market fell sharply on Tuesday."]


@pytest.mark.slow
def test_minilm_folder_by_hf_path_equals_its_plugin(tmp_path):
    plugin = pytest.importorskip("neuroalign_minilm")
    folder = plugin.model_dir()
    by_path = load_hf_model(f"hf:{folder}")
    assert by_path.family.kind == "text-encoder" and by_path.main_layers == plugin.MAIN_LAYERS
    assert by_path.default_pooling["hidden_states.6"] == "token_mean"  # as sentence-transformers pools
    texts = StimulusSet(["a", "para", "other"], payloads={"text": SENTENCES})
    ours = by_path.extract(texts, "hidden_states.6", cache=tmp_path / "cache").layer("hidden_states.6")
    theirs = plugin.load().extract(texts, "hidden_states.6", cache=None).layer("hidden_states.6")
    np.testing.assert_array_equal(ours, theirs)
    x = ours / np.linalg.norm(ours, axis=1, keepdims=True)
    assert x[0] @ x[1] > x[0] @ x[2] + 0.3  # the pretrained weights: a paraphrase is closer
    assert by_path.fingerprint()["source"]["path"] == str(folder)
