"""Which kind of model a transformers config describes, decided from the config alone (no weights).

No hand list of model types: the decision reads what transformers itself knows about a ``model_type`` -- its
``MODEL_FOR_*_MAPPING_NAMES`` task tables and the ``main_input_name`` of the bare class ``AutoModel`` builds (a class
attribute: nothing is instantiated) -- plus what the checkpoint says about itself (``config.architectures``,
``is_encoder_decoder``, ``is_decoder``, ``text_config`` / ``vision_config``). Rules, first match wins:

1. ``image-text-dual-encoder``: ``model_type`` is in the zero-shot-image-classification table (clip, siglip,
   align, altclip, chinese_clip, blip, ...), or the config has ``text_config`` and ``vision_config`` and the bare
   class has ``get_text_features`` and ``get_image_features`` while the type is not a generative vision-language
   model.
2. not supported: generative vision-language models (llava, qwen2_vl, ...), audio-text dual encoders (clap), and
   models whose main input is not text, pixels or audio (time series, ...).
3. ``encoder-decoder``: ``config.is_encoder_decoder`` or a seq2seq table (t5, bart, ...); the encoder is read.
   Speech encoder-decoders (whisper) and encoder-decoders over pixels (detr) are not supported.
4. ``audio``: the bare class reads ``input_values`` / ``input_features``, or an audio task table lists the type.
5. ``vision`` / ``conv-vision``: an image table lists the type, or the bare class reads ``pixel_values`` and is
   not a detection or segmentation model; ``conv`` when the config names no attention heads.
6. ``causal-decoder`` / ``text-encoder``: the checkpoint's ``architectures`` decide first (a causal-LM class that is
   no masked-LM class: decoder; a masked-LM class: encoder), then ``config.is_decoder``, then the type's tables.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from neuroalign.errors.adapters import UnsupportedModelError

FAMILIES = ("text-encoder", "causal-decoder", "encoder-decoder", "vision", "conv-vision", "audio",
            "image-text-dual-encoder")

#: Attributes under which vision configs name their attention heads; a vision config with none of them is a convnet.
_HEAD_ATTRS = ("num_attention_heads", "num_heads", "attention_heads", "encoder_attention_heads")
_AUDIO_INPUTS = ("input_values", "input_features")
_INPUTS = ("input_ids", "pixel_values", *_AUDIO_INPUTS)
_DENSE_IMAGE_TASKS = ("OBJECT_DETECTION", "ZERO_SHOT_OBJECT_DETECTION", "MASK_GENERATION", "INSTANCE_SEGMENTATION",
                      "UNIVERSAL_SEGMENTATION", "KEYPOINT_MATCHING", "KEYPOINT_DETECTION")


@dataclass(frozen=True)
class Family:
    """What a config describes.

    Attributes
    ----------
    kind : str
        One of :data:`FAMILIES`.
    modality : str
        ``"text"``, ``"image"``, ``"audio"`` or ``"image+text"``.
    model_type : str
        The config's ``model_type``.
    base_class : str or None
        The class ``AutoModel`` builds for it.
    reason : str
        The rule that decided (shown by ``neuroalign info``).
    """

    kind: str
    modality: str
    model_type: str
    base_class: str | None
    reason: str


@lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    import transformers.models.auto.modeling_auto as auto

    return {name[len("MODEL_FOR_"):-len("_MAPPING_NAMES")] if name != "MODEL_MAPPING_NAMES" else "BASE": table
            for name, table in vars(auto).items()
            if name.startswith("MODEL_") and name.endswith("_MAPPING_NAMES") and isinstance(table, dict)}


def _table(name: str) -> dict[str, Any]:
    return _tables().get(name, {})


def _class_names(name: str) -> set[str]:
    out: set[str] = set()
    for value in _table(name).values():
        out.update((value,) if isinstance(value, str) else value)
    return out


def _in(model_type: str, *names: str) -> str | None:
    return next((n for n in names if model_type in _table(n)), None)


def _base_class(model_type: str) -> Any:
    import transformers

    name = _table("BASE").get(model_type)
    name = name if isinstance(name, str) or name is None else name[0]
    try:
        return getattr(transformers, name) if name else None
    except (AttributeError, ImportError, RuntimeError):  # a class that needs a missing backend
        return None


def _as_config(config: Any) -> Any:
    if isinstance(config, (str, os.PathLike)):
        path = os.path.join(config, "config.json") if os.path.isdir(config) else os.fspath(config)
        with open(path) as f:
            config = json.load(f)
    if isinstance(config, dict):
        from transformers import AutoConfig

        fields = dict(config)
        return AutoConfig.for_model(fields.pop("model_type"), **fields)
    return config


@dataclass(frozen=True)
class _Facts:
    """What the rules read, computed once per config."""

    config: Any
    model_type: str
    main_input: str | None
    sub_configs: frozenset[str]
    base: Any

    def family(self, kind: str, modality: str, reason: str) -> Family:
        base = getattr(self.base, "__name__", None)
        return Family(kind, modality, self.model_type, base, reason)

    def unsupported(self, what: str) -> UnsupportedModelError:
        return UnsupportedModelError(f"no neuroalign adapter for model type {self.model_type!r}: it is {what}. "
                                     f"Supported families: {', '.join(FAMILIES)}")

    def heads(self) -> list[str]:
        return [a for a in _HEAD_ATTRS if getattr(self.config, a, None)]


def _dual_encoder(f: _Facts) -> Family | None:
    if table := _in(f.model_type, "ZERO_SHOT_IMAGE_CLASSIFICATION"):
        return f.family("image-text-dual-encoder", "image+text",
                        f"model_type {f.model_type!r} is in MODEL_FOR_{table}_MAPPING_NAMES")
    if ({"text_config", "vision_config"} <= f.sub_configs and not _generative_vl(f) and f.base is not None
            and hasattr(f.base, "get_text_features") and hasattr(f.base, "get_image_features")):
        return f.family("image-text-dual-encoder", "image+text", f"text_config + vision_config and "
                        f"{f.base.__name__}.get_text_features / get_image_features")
    return None


def _generative_vl(f: _Facts) -> str | None:
    return _in(f.model_type, "IMAGE_TEXT_TO_TEXT", "MULTIMODAL_LM", "VISION_2_SEQ")


def _refused(f: _Facts) -> Family | None:
    if table := _generative_vl(f):
        raise f.unsupported(f"a generative vision-language model (MODEL_FOR_{table}_MAPPING_NAMES)")
    if {"text_config", "audio_config"} <= f.sub_configs:
        raise f.unsupported("an audio-text dual encoder (text_config + audio_config)")
    if f.main_input is not None and f.main_input not in _INPUTS:
        raise f.unsupported(f"a model whose main input is {f.main_input!r}, not text, pixels or audio")
    return None


def _is_audio(f: _Facts) -> str | None:
    if f.main_input in _AUDIO_INPUTS:
        return f"main_input_name {f.main_input!r}"
    table = _in(f.model_type, "CTC", "AUDIO_CLASSIFICATION", "AUDIO_XVECTOR", "AUDIO_FRAME_CLASSIFICATION",
                "SPEECH_SEQ_2_SEQ")
    return f"MODEL_FOR_{table}_MAPPING_NAMES" if table else None


def _encoder_decoder(f: _Facts) -> Family | None:
    seq2seq = _in(f.model_type, "SEQ_TO_SEQ_CAUSAL_LM", "SPEECH_SEQ_2_SEQ")
    if not (getattr(f.config, "is_encoder_decoder", False) or seq2seq):
        return None
    if f.main_input == "pixel_values":
        raise f.unsupported("an encoder-decoder over images (detection or segmentation)")
    if _is_audio(f):
        raise f.unsupported("a speech encoder-decoder (whisper-like); its encoder is not read yet")
    why = "config.is_encoder_decoder" if getattr(f.config, "is_encoder_decoder", False) else \
        f"MODEL_FOR_{seq2seq}_MAPPING_NAMES"
    return f.family("encoder-decoder", "text", why)


def _audio(f: _Facts) -> Family | None:
    why = _is_audio(f)
    return f.family("audio", "audio", why) if why else None


def _vision(f: _Facts) -> Family | None:
    if table := _in(f.model_type, "IMAGE", "IMAGE_CLASSIFICATION"):
        why, heads = f"model_type {f.model_type!r} is in MODEL_FOR_{table}_MAPPING_NAMES", f.heads()
        if heads:
            return f.family("vision", "image", f"{why}; attention heads ({heads[0]})")
        if not f.sub_configs:
            return f.family("conv-vision", "image", f"{why}; no attention-head setting")
        return f.family("vision", "image", f"{why}; composite config {sorted(f.sub_configs)}")
    if f.main_input != "pixel_values":
        return None
    dense = _in(f.model_type, *_DENSE_IMAGE_TASKS)
    if dense or f.sub_configs:
        raise f.unsupported("an image model that is neither an image backbone nor a classifier"
                            + (f" (MODEL_FOR_{dense}_MAPPING_NAMES)" if dense else f" ({sorted(f.sub_configs)})"))
    heads = f.heads()  # a bare tower, e.g. clip_vision_model
    return f.family("vision" if heads else "conv-vision", "image", "main_input_name 'pixel_values'"
                    + (f"; attention heads ({heads[0]})" if heads else "; no attention-head setting"))


def _text(f: _Facts) -> Family | None:
    causal, masked = _class_names("CAUSAL_LM"), _class_names("MASKED_LM")
    for arch in getattr(f.config, "architectures", None) or ():
        if arch in causal and arch not in masked:
            return f.family("causal-decoder", "text", f"architectures {arch!r} is a causal-LM class")
        if arch in masked:
            return f.family("text-encoder", "text", f"architectures {arch!r} is a masked-LM class")
    if getattr(f.config, "is_decoder", False):
        return f.family("causal-decoder", "text", "config.is_decoder")
    if table := _in(f.model_type, "MASKED_LM", "TEXT_ENCODING"):
        return f.family("text-encoder", "text", f"model_type {f.model_type!r} is in MODEL_FOR_{table}_MAPPING_NAMES")
    if _in(f.model_type, "CAUSAL_LM"):
        return f.family("causal-decoder", "text",
                        f"model_type {f.model_type!r} is only in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES")
    if table := _in(f.model_type, "SEQUENCE_CLASSIFICATION", "TOKEN_CLASSIFICATION", "QUESTION_ANSWERING",
                    "MULTIPLE_CHOICE"):
        return f.family("text-encoder", "text", f"model_type {f.model_type!r} is in MODEL_FOR_{table}_MAPPING_NAMES")
    return None


#: The rules, in order; the first that returns a family wins, a rule may raise UnsupportedModelError.
_RULES = (_dual_encoder, _refused, _encoder_decoder, _audio, _vision, _text)


def detect_family(config: Any) -> Family:
    """The :class:`Family` of a model, from its config alone.

    Parameters
    ----------
    config : PretrainedConfig, dict, or path
        A config object, a ``config.json`` mapping, the path of a ``config.json``, or a model folder.

    Returns
    -------
    Family

    Raises
    ------
    UnsupportedModelError
        For a model no adapter reads; the message says what it is and lists the supported families.
    """
    config = _as_config(config)
    base = _base_class(config.model_type)
    facts = _Facts(config, config.model_type, getattr(base, "main_input_name", None),
                   frozenset(getattr(config, "sub_configs", {}) or {}), base)
    for rule in _RULES:
        family = rule(facts)
        if family is not None:
            return family
    raise facts.unsupported(f"in no text, image or audio task table (main input {facts.main_input!r})")
