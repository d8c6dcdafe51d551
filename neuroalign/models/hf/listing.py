"""The outputs a transformers model returns, named and shaped, from its config alone (no weights, no memory).

The model is built on PyTorch's ``meta`` device and run on a dummy meta input: every tensor has a shape and no data,
so this takes about 0.1 s whatever the model's size. It is what ``neuroalign info hf:...`` lists, and how a loaded
adapter knows its ``hidden_states.<i>`` layers and picks a default pooling per layer from their rank.
"""

from __future__ import annotations

from typing import Any

from neuroalign.backend import meta_device
from neuroalign.models.hf.family import Family

#: Output fields offered as layers besides ``hidden_states`` (when the model returns them).
_FIELDS = ("last_hidden_state", "pooler_output")
_TEXT_TOKENS = 8


def _image_input(config: Any) -> Any:
    import torch

    vision = getattr(config, "vision_config", None) or config
    size = getattr(vision, "image_size", 224)
    size = size if isinstance(size, int) else int(size[0])
    return torch.empty(1, getattr(vision, "num_channels", 3), size, size)


def _shapes(output: Any, prefix: str = "") -> dict[str, tuple[int, ...]]:
    out = {f"{prefix}hidden_states.{i}": tuple(h.shape[1:]) for i, h in enumerate(output.hidden_states)}
    for name in _FIELDS:
        value = getattr(output, name, None)
        if value is not None and hasattr(value, "shape"):
            out[f"{prefix}{name}"] = tuple(value.shape[1:])
    return out


def _dual(model: Any, config: Any) -> dict[str, tuple[int, ...]]:
    import torch

    out: dict[str, tuple[int, ...]] = {}
    calls = {"image": lambda: model.get_image_features(pixel_values=_image_input(config), output_hidden_states=True),
             "text": lambda: model.get_text_features(input_ids=torch.zeros(1, _TEXT_TOKENS, dtype=torch.long),
                                                     output_hidden_states=True)}
    for read, call in calls.items():
        result = call()
        out.update({f"{read}.hidden_states.{i}": tuple(h.shape[1:]) for i, h in enumerate(result.hidden_states)})
        out[f"{read}.last_hidden_state"] = tuple(result.last_hidden_state.shape[1:])
        out[f"{read}.projection"] = tuple(result.pooler_output.shape[1:])
    return out


def output_shapes(config: Any, family: Family, *, sampling_rate: int = 16_000) -> dict[str, tuple[int, ...]] | None:
    """``{layer: shape of one stimulus's output}`` for the outputs the model returns, in model order.

    Text models see 8 tokens, vision models an image of the configured size, audio models one second at
    ``sampling_rate``: token and frame counts in the shapes are those of that dummy input.

    Parameters
    ----------
    config : PretrainedConfig
        The model's config.
    family : Family
        From :func:`~neuroalign.models.hf.family.detect_family`.
    sampling_rate : int
        Of an audio model's feature extractor.

    Returns
    -------
    dict or None
        None when the model cannot run on the meta device (the caller then falls back on the config's counts).
    """
    import torch
    from transformers import AutoModel

    try:
        with meta_device(), torch.no_grad():
            model = AutoModel.from_config(config).eval()
            if family.kind == "image-text-dual-encoder":
                return _dual(model, config)
            if family.modality == "image":
                return _shapes(model(pixel_values=_image_input(config), output_hidden_states=True))
            if family.modality == "audio":
                return _shapes(model(torch.empty(1, sampling_rate), output_hidden_states=True))
            ids = torch.zeros(1, _TEXT_TOKENS, dtype=torch.long)
            runner = model.get_encoder() if family.kind == "encoder-decoder" else model
            return _shapes(runner(input_ids=ids, output_hidden_states=True))
    except Exception:  # noqa: BLE001 - any model that cannot run on meta falls back on the config's layer counts
        return None
