"""Calling transformers preprocessors the way each model family needs, shared by the HuggingFace adapters.

- Text: padded batches with an attention mask for pooling (always asked for), but the model gets only the inputs its
  tokenizer declares (``model_input_names``: SigLIP's has no attention mask, it was trained attending to padding)
  and its ``forward`` accepts (``token_type_ids`` only where taken); texts are truncated to what the model's
  position embeddings allow.
- Images: the image processor of the model, called with ``images=`` as a keyword (a processor's first positional
  argument differs between classes).
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Sequence

import torch

from neuroalign.errors import ShapeMismatchError

#: A tokenizer ``model_max_length`` above this is transformers' "no limit" placeholder (``int(1e30)``).
_NO_LIMIT = 1_000_000


def accepted_inputs(function: Callable[..., Any]) -> frozenset[str] | None:
    """The keyword arguments ``function`` takes; None when it takes any (``**kwargs``)."""
    params = inspect.signature(function).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return None
    return frozenset(p.name for p in params)


def text_max_length(tokenizer: Any, config: Any, requested: int | None) -> int:
    """The longest token sequence to feed: ``requested``, the tokenizer's limit and the model's positions, whichever
    is smallest (a tiny model with 64 positions must not see 512 tokens)."""
    limits = [int(requested)] if requested else []
    model_max = getattr(tokenizer, "model_max_length", None)
    if isinstance(model_max, int) and model_max < _NO_LIMIT:
        limits.append(model_max)
    text_config = config.get_text_config() if hasattr(config, "get_text_config") else config
    positions = getattr(text_config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 0:
        limits.append(positions)
    return min(limits) if limits else 512


def encode_text(tokenizer: Any, texts: Sequence[str], *, max_length: int, padding: str = "longest",
                accepted: frozenset[str] | None = None) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    """Tokenise a batch: ``(model inputs, attention mask)``; the mask marks real tokens (1) and padding (0).

    Parameters
    ----------
    tokenizer : transformers tokenizer
        Pads with its pad token, on its padding side.
    texts : sequence of str
        The batch.
    max_length : int
        Truncate (and, with ``padding="max_length"``, pad) to this many tokens.
    padding : str
        ``"longest"`` (pad to the batch's longest text) or ``"max_length"`` (every text to ``max_length``: models
        that pool a fixed position, as SigLIP's text tower pools the last one, must see the length they were
        trained on, or a text's embedding would depend on the batch it is in).
    accepted : frozenset of str, optional
        The inputs the model takes (None: any).
    """
    enc = tokenizer(list(texts), padding=padding, truncation=True, max_length=max_length, return_tensors="pt",
                    return_attention_mask=True)
    mask = enc["attention_mask"]
    declared = set(getattr(tokenizer, "model_input_names", None) or enc.keys())
    inputs = {k: v for k, v in enc.items() if k in declared and (accepted is None or k in accepted)}
    return inputs, mask


def encode_images(processor: Any, images: Sequence[Any], model_id: str) -> dict[str, torch.Tensor]:
    """Run the image processor over a batch of RGB images.

    Raises
    ------
    ShapeMismatchError
        When the processor does not resize (``do_resize=False``) and the batch holds images of several sizes.
    """
    if getattr(processor, "do_resize", True) is False:
        sizes = sorted({image.size for image in images})
        if len(sizes) > 1:
            raise ShapeMismatchError(
                f"model {model_id!r}: its image processor does not resize (do_resize=False), but one batch holds "
                f"images of {len(sizes)} sizes {sizes[:5]}; give images of one size "
                "(StimulusSet.from_image_folder(..., same_size=True) names the files that differ)")
    return dict(processor(images=list(images), return_tensors="pt"))
