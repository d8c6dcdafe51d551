"""What the three HuggingFace adapters share: hidden states as layers, processor parameters in the cache key."""

from __future__ import annotations

from typing import Any, Mapping

import torch
from torch import nn

from neuroalign.models.hooks import first_tensor
from neuroalign.models.torch_adapter import TorchAdapter

HIDDEN = "hidden_states"
_HEADS = ("ForCausalLM", "ForMaskedLM", "ForImageClassification", "ForSequenceClassification",
          "ForAudioClassification", "ForCTC")


def _processor_params(processor: Any) -> dict[str, Any]:
    cls = type(processor)
    params: dict[str, Any] = {"class": f"{cls.__module__}.{cls.__qualname__}",
                              "name_or_path": str(getattr(processor, "name_or_path", ""))}
    if hasattr(processor, "to_dict"):  # image processors and feature extractors
        params["config"] = {k: v for k, v in processor.to_dict().items() if not k.startswith("_")}
    if hasattr(processor, "get_vocab"):  # tokenizers: the vocabulary and how padding / truncation are done
        params.update(vocab_size=len(processor), padding_side=processor.padding_side,
                      truncation_side=getattr(processor, "truncation_side", None),
                      special_tokens={k: str(v) for k, v in processor.special_tokens_map.items()})
    return params


def hidden_state_count(model: nn.Module) -> int:
    """Number of hidden states the model returns (embeddings + one per layer), from its config."""
    config = model.config
    layers = getattr(config, "num_hidden_layers", None)
    if layers is None and hasattr(config, "get_text_config"):
        layers = getattr(config.get_text_config(), "num_hidden_layers", None)
    return 0 if layers is None else int(layers) + 1


class HFAdapter(TorchAdapter):
    """A :class:`TorchAdapter` for a ``transformers`` model: layers are ``hidden_states.<i>`` (``0`` is the
    embedding output), the model's main output (``logits`` for models with a head, else ``last_hidden_state``),
    and every named module."""

    processor: Any

    def _output_layers(self) -> tuple[str, ...]:
        head = "logits" if type(self.model).__name__.endswith(_HEADS) else "last_hidden_state"
        return (*(f"{HIDDEN}.{i}" for i in range(hidden_state_count(self.model))), head)

    @property
    def layers(self) -> tuple[str, ...]:
        """The hidden states and the main output first, then every named module."""
        return (*self._output_layers(), *self._module_layers())

    def _preprocessing_params(self) -> Any:
        return {**_processor_params(self.processor), **self._extra_params()}

    def _extra_params(self) -> dict[str, Any]:
        return {}

    def _call(self, inputs: Mapping[str, Any]) -> Any:
        return self.model(**inputs, output_hidden_states=True, return_dict=True)

    def _output_tensor(self, output: Any, layer: str) -> torch.Tensor:
        if layer.startswith(HIDDEN + "."):
            return output.hidden_states[int(layer.split(".", 1)[1])]
        value = output.get(layer) if hasattr(output, "get") else None
        return value if isinstance(value, torch.Tensor) else first_tensor(output)
