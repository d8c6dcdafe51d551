"""Text models from transformers: tokenise a batch with padding, pool hidden states over real tokens only."""

from __future__ import annotations

import copy
import os
from typing import Any, Mapping, Sequence

import torch

from neuroalign.models.hf.base import HFAdapter
from neuroalign.models.hf.loading import load_pair


class HFTextAdapter(HFAdapter):
    """A transformers text model (encoder or causal LM) and its tokenizer.

    Parameters
    ----------
    model : transformers.PreTrainedModel
        E.g. from ``AutoModel`` or ``AutoModelForCausalLM``.
    tokenizer : transformers tokenizer
        Pads batches; a tokenizer without a pad token pads with its end-of-sequence token (on a copy).
    model_id : str
        A stable id.
    max_length : int
        Longer texts are truncated to this many tokens.
    batch_size : int
        Default texts per forward pass.
    default_pooling : str or mapping
        ``"token_mean"`` (mean over non-padding tokens) by default; ``"last_token"`` suits causal LMs.
    """

    def __init__(self, model: Any, tokenizer: Any, *, model_id: str, max_length: int = 512, batch_size: int = 16,
                 default_pooling: str | Mapping[str, str] = "token_mean", weights_hash: str | None = None) -> None:
        if tokenizer.pad_token is None:
            tokenizer = copy.deepcopy(tokenizer)  # never change the caller's tokenizer
            tokenizer.pad_token = tokenizer.eos_token
        super().__init__(model, self._tokenize, model_id=model_id, modality="text", batch_size=batch_size,
                         default_pooling=default_pooling, weights_hash=weights_hash)
        self.processor = tokenizer
        self.max_length = int(max_length)

    @classmethod
    def from_pretrained(cls, name_or_path: str | os.PathLike[str], *, model_id: str | None = None,
                        causal: bool = False, gguf_file: str | None = None, **options: Any) -> "HFTextAdapter":
        """Load with ``AutoModel`` (``AutoModelForCausalLM`` when ``causal``) and ``AutoTokenizer``.

        ``gguf_file`` names a GGUF file inside ``name_or_path`` (weights are de-quantised to float32).
        Remaining options go to the constructor.
        """
        extra = {"gguf_file": gguf_file} if gguf_file else {}
        model, tokenizer = load_pair("AutoModelForCausalLM" if causal else "AutoModel", "AutoTokenizer",
                                     name_or_path, **extra)
        return cls(model, tokenizer, model_id=model_id or os.fspath(name_or_path), **options)

    def _extra_params(self) -> dict[str, Any]:
        return {"max_length": self.max_length}

    def _tokenize(self, texts: Sequence[str]) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        enc = self.processor(list(texts), padding=True, truncation=True, max_length=self.max_length,
                             return_tensors="pt")
        return dict(enc), enc["attention_mask"]
