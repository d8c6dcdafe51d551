"""The default pooling of each layer of a model loaded by id, per family and per output rank.

===========================  ========================================  ==========================================
family                       sequence outputs ``(tokens, features)``    feature maps ``(channels, height, width)``
===========================  ========================================  ==========================================
text-encoder, encoder-dec.   ``token_mean`` (mean over real tokens)     --
causal-decoder               ``last_token`` (the last real token)       --
vision                       ``first_token`` (CLS) when the model has   ``spatial_mean``
                             a CLS token, else ``token_mean``
conv-vision                  --                                         ``spatial_mean``
audio                        ``token_mean`` (mean over real frames)     --
image-text dual encoder      text: ``token_mean``; image: as vision     --
===========================  ========================================  ==========================================

Vectors (``pooler_output``, ``<read>.projection``) are kept whole (``flatten``). The rank comes from the model's
outputs as listed from its config (:func:`~neuroalign.models.hf.listing.output_shapes`), where transformers'
convention is fixed: 4-D hidden states are channels-first maps, 3-D ones token sequences. Module layers (anything
hooked by name) get the family's sequence pooling, or ``spatial_mean`` for convnets; pass ``pooling=`` for others.
"""

from __future__ import annotations

from typing import Mapping

from torch import nn

#: Pooling of a ``(tokens, features)`` output, per family (vision families are decided by :func:`has_cls_token`).
SEQUENCE_POOLING = {"text-encoder": "token_mean", "encoder-decoder": "token_mean", "causal-decoder": "last_token",
                    "audio": "token_mean", "conv-vision": "spatial_mean"}


def has_cls_token(model: nn.Module, under: str = "") -> bool:
    """Whether the (vision) model embeds a CLS token: a ``*cls_token`` parameter (ViT, DeiT, BEiT, DINOv2) or
    CLIP's ``class_embedding``; SigLIP, Swin and convnets have none."""
    return any(name.startswith(under) and name.endswith(("cls_token", "class_embedding"))
               for name, _ in model.named_parameters())


def sequence_pooling(kind: str, cls_token: bool) -> str:
    """The pooling of a token sequence for a family (``kind``) and whether the model has a CLS token."""
    if kind in SEQUENCE_POOLING:
        return SEQUENCE_POOLING[kind]
    return "first_token" if cls_token else "token_mean"


def default_pooling(shapes: Mapping[str, tuple[int, ...]] | None, sequence: str, *,
                    fallback: str | None = None) -> dict[str, str]:
    """``{layer: pooling}`` for the listed outputs by rank, and ``"*"`` (every other layer) -> ``fallback``.

    Parameters
    ----------
    shapes : mapping or None
        ``{layer: per-stimulus shape}``; None when the outputs could not be listed.
    sequence : str
        The pooling of a ``(tokens, features)`` output.
    fallback : str, optional
        The pooling of layers not listed (``sequence`` by default).
    """
    by_rank = {1: "flatten", 2: sequence, 3: "spatial_mean"}
    out = {name: by_rank.get(len(shape), "flatten") for name, shape in (shapes or {}).items()}
    out["*"] = fallback or sequence
    return out
