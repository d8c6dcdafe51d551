"""Text models from transformers: tokenise a batch with padding, pool hidden states over real tokens only."""

from __future__ import annotations

import copy
import os
from typing import Any, Mapping, Sequence

import torch

from neuroalign.models.hf.base import HFAdapter
from neuroalign.models.hf.inputs import accepted_inputs, encode_text, text_max_length
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
        Longer texts are truncated to this many tokens (or to the model's position embeddings, if fewer).
    batch_size : int
        Default texts per forward pass.
    default_pooling : str or mapping
        ``"token_mean"`` (mean over non-padding tokens) by default; ``"last_token"`` suits causal LMs.
    padding_side : str, optional
        ``"right"`` or ``"left"``; the tokenizer's own when omitted. Causal LMs loaded with
        :meth:`from_pretrained` pad on the right: under a causal mask, right padding leaves every real token's
        state unchanged, while left padding shifts absolute positions and changes them.
    """

    def __init__(self, model: Any, tokenizer: Any, *, model_id: str, max_length: int = 512, batch_size: int = 16,
                 default_pooling: str | Mapping[str, str] = "token_mean", weights_hash: str | None = None,
                 padding_side: str | None = None) -> None:
        if tokenizer.pad_token is None or (padding_side and tokenizer.padding_side != padding_side):
            tokenizer = copy.deepcopy(tokenizer)  # never change the caller's tokenizer
            if tokenizer.pad_token is None:
                tokenizer.pad_token = tokenizer.eos_token
            tokenizer.padding_side = padding_side or tokenizer.padding_side
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
        model, tokenizer, missing = load_pair("AutoModelForCausalLM" if causal else "AutoModel", "AutoTokenizer",
                                     name_or_path, **extra)
        if causal:
            options.setdefault("padding_side", "right")
        return cls(model, tokenizer, model_id=model_id or os.fspath(name_or_path), **options).mark_untrained(missing)

    def _extra_params(self) -> dict[str, Any]:
        return {"max_length": self._max_tokens()}

    def _max_tokens(self) -> int:
        return text_max_length(self.processor, self.model.config, self.max_length)

    def _tokenize(self, texts: Sequence[str]) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        return encode_text(self.processor, texts, max_length=self._max_tokens(),
                           accepted=accepted_inputs(self.model.forward))
