"""Vision models from transformers: the model's own image processor, hidden states as layers."""

from __future__ import annotations

import os
from typing import Any, Mapping, Sequence

import torch

from neuroalign.models.hf.base import HFAdapter
from neuroalign.models.hf.inputs import encode_images
from neuroalign.models.hf.loading import load_pair


class HFVisionAdapter(HFAdapter):
    """A transformers vision model and its image processor.

    Parameters
    ----------
    model : transformers.PreTrainedModel
        E.g. from ``AutoModel`` or ``AutoModelForImageClassification``.
    processor : transformers image processor
        Resizes and normalises the images.
    model_id : str
        A stable id.
    batch_size : int
        Default images per forward pass.
    default_pooling : str or mapping
        ``"flatten"`` by default; ``"token_mean"`` / ``"first_token"`` for ViT-style ``(batch, tokens, features)``
        hidden states, ``"spatial_mean"`` for convolutional ``(batch, channels, height, width)`` ones.
    """

    def __init__(self, model: Any, processor: Any, *, model_id: str, batch_size: int = 32,
                 default_pooling: str | Mapping[str, str] = "flatten", weights_hash: str | None = None) -> None:
        super().__init__(model, self._process, model_id=model_id, modality="image", batch_size=batch_size,
                         default_pooling=default_pooling, weights_hash=weights_hash)
        self.processor = processor

    @classmethod
    def from_pretrained(cls, name_or_path: str | os.PathLike[str], *, model_id: str | None = None,
                        classifier: bool = False, **options: Any) -> "HFVisionAdapter":
        """Load with ``AutoModel`` (``AutoModelForImageClassification`` when ``classifier``) and
        ``AutoImageProcessor``; options go to the constructor."""
        model, processor, missing = load_pair("AutoModelForImageClassification" if classifier else "AutoModel",
                                     "AutoImageProcessor", name_or_path)
        return cls(model, processor, model_id=model_id or os.fspath(name_or_path), **options).mark_untrained(missing)

    def _process(self, images: Sequence[Any]) -> tuple[dict[str, torch.Tensor], None]:
        return encode_images(self.processor, images, self.model_id), None
