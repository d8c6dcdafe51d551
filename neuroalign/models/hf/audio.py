"""Audio models from transformers (wav2vec2-type): the feature extractor, frame-level masks for pooling."""

from __future__ import annotations

import contextlib
import os
from typing import Any, Iterator, Mapping, Sequence

import numpy as np
import torch

from neuroalign.models.adapter import BatchRunner
from neuroalign.models.hf.base import HFAdapter
from neuroalign.models.hf.loading import load_pair
from neuroalign.models.inputs.audio import resample


class HFAudioAdapter(HFAdapter):
    """A transformers audio model and its feature extractor.

    Waveforms are resampled to the extractor's rate and padded per batch. Token poolings average over the frames
    that cover real samples (via the model's frame-length arithmetic), not over the padding. A model whose feature
    extractor gives no attention mask (group-norm feature encoders, as wav2vec2-base) sees zero padding, and its
    group norms then change a short clip's features: such a model runs each length of a batch as its own forward
    pass, so that a clip's activations never depend on the other clips it was batched with.

    Parameters
    ----------
    model : transformers.PreTrainedModel
        E.g. ``Wav2Vec2Model``.
    feature_extractor : transformers feature extractor
        E.g. ``Wav2Vec2FeatureExtractor``.
    model_id : str
        A stable id.
    batch_size : int
        Default sounds per forward pass.
    default_pooling : str or mapping
        ``"token_mean"`` (mean over real frames) by default.
    """

    def __init__(self, model: Any, feature_extractor: Any, *, model_id: str, batch_size: int = 8,
                 default_pooling: str | Mapping[str, str] = "token_mean", weights_hash: str | None = None) -> None:
        super().__init__(model, self._extract_features, model_id=model_id, modality="audio", batch_size=batch_size,
                         default_pooling=default_pooling, weights_hash=weights_hash)
        self.processor = feature_extractor

    @classmethod
    def from_pretrained(cls, name_or_path: str | os.PathLike[str], *, model_id: str | None = None,
                        **options: Any) -> "HFAudioAdapter":
        """Load with ``AutoModel`` and ``AutoFeatureExtractor``; options go to the constructor."""
        model, extractor, missing = load_pair("AutoModel", "AutoFeatureExtractor", name_or_path)
        return cls(model, extractor, model_id=model_id or os.fspath(name_or_path), **options).mark_untrained(missing)

    @contextlib.contextmanager
    def session(self, poolings: Mapping[str, str], device: Any) -> Iterator[BatchRunner]:
        """As :meth:`TorchAdapter.session`; without an attention mask, clips of one length run together."""
        with super().session(poolings, device) as run:
            if getattr(self.processor, "return_attention_mask", False):
                yield run
                return

            def by_length(sounds: Sequence[tuple[np.ndarray, int | None]]) -> dict[str, np.ndarray]:
                rate = int(self.processor.sampling_rate)
                lengths = [_resampled_length(len(wave), source, rate) for wave, source in sounds]
                groups: dict[int, list[int]] = {}
                for k, length in enumerate(lengths):
                    groups.setdefault(length, []).append(k)
                if len(groups) == 1:
                    return run(sounds)
                out: dict[str, np.ndarray] = {}
                for members in groups.values():
                    for layer, rows in run([sounds[k] for k in members]).items():
                        if layer not in out:
                            out[layer] = np.empty((len(sounds), *rows.shape[1:]), dtype=rows.dtype)
                        out[layer][members] = rows
                return out

            yield by_length

    def _extract_features(self, sounds: Sequence[tuple[np.ndarray, int | None]]
                          ) -> tuple[dict[str, torch.Tensor], torch.Tensor | None]:
        rate = int(self.processor.sampling_rate)
        waves = [resample(wave, source_rate, rate) for wave, source_rate in sounds]
        enc = self.processor(waves, sampling_rate=rate, padding=True, return_attention_mask=True,
                             return_tensors="pt")
        sample_mask = enc.pop("attention_mask")
        inputs = dict(enc)
        if getattr(self.processor, "return_attention_mask", False):
            # Models whose extractor asks for it (layer-norm feature encoders) must see the mask; the others were
            # trained on zero-padded input without one.
            inputs["attention_mask"] = sample_mask
        return inputs, self._frame_mask(sample_mask)

    def _frame_mask(self, sample_mask: torch.Tensor) -> torch.Tensor | None:
        lengths_of = getattr(self.model, "_get_feat_extract_output_lengths", None)
        if lengths_of is None:
            return None
        frames = lengths_of(torch.tensor(sample_mask.shape[1])).item()
        real = lengths_of(sample_mask.sum(-1))
        return (torch.arange(int(frames)).unsqueeze(0) < real.unsqueeze(1)).to(torch.int64)


def _resampled_length(n: int, rate: int | None, target: int) -> int:
    """The number of samples :func:`resample` gives for ``n`` samples at ``rate`` (polyphase: ceil(n * up / down))."""
    if rate is None or rate == target:
        return n
    from math import gcd

    g = gcd(rate, target)
    up, down = target // g, rate // g
    return -(-n * up // down)
