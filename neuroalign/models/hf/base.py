"""What the HuggingFace adapters share: hidden states as layers, processor parameters in the cache key, and (for a
model loaded by id) its source, its untrained modules and its per-layer outputs."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, Mapping

import torch
from torch import nn

from neuroalign.models.hooks import first_tensor
from neuroalign.models.torch_adapter import TorchAdapter
from neuroalign.models.weights import state_dict_hash

if TYPE_CHECKING:
    from neuroalign.models.hf.family import Family
    from neuroalign.models.hf.hub import HFSource

HIDDEN = "hidden_states"
_HEADS = ("ForCausalLM", "ForMaskedLM", "ForImageClassification", "ForSequenceClassification",
          "ForAudioClassification", "ForCTC")


#: Tokenizer constructor options that name where it was read from, not what it does (they differ between machines).
_MACHINE_OPTIONS = frozenset({"name_or_path", "cache_dir", "local_files_only", "is_local", "token", "_commit_hash",
                              "revision", "vocab_file", "merges_file", "tokenizer_file"})


def tokenizer_state_sha256(tokenizer: Any) -> str:
    """sha256 of what decides how ``tokenizer`` turns text into ids.

    A fast tokenizer's whole pipeline as its backend serialises it (normaliser: lower-casing, accents; pre-tokeniser;
    vocabulary and merges; post-processor; added tokens), else the vocabulary and the constructor's options. Two
    tokenizers that differ only in lower-casing have the same class, vocabulary size and special tokens, but give
    different ids ("Hello": 7592 or [UNK]); without this they shared one cache key, and the activations of one were
    served for the other.
    """
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is not None:
        # Padding and truncation are left out: transformers sets them on the backend at every call (from that
        # call's arguments), so they say what the last call asked, not what the tokenizer is.
        pipeline = {k: v for k, v in json.loads(backend.to_str()).items() if k not in ("padding", "truncation")}
        state = json.dumps(pipeline, sort_keys=True)
    else:
        options = {k: v for k, v in getattr(tokenizer, "init_kwargs", {}).items() if k not in _MACHINE_OPTIONS}
        state = json.dumps({"vocab": sorted(tokenizer.get_vocab().items(), key=lambda item: item[1]),
                            "options": options}, sort_keys=True, default=str)
    return hashlib.sha256(state.encode("utf-8")).hexdigest()



def _processor_params(processor: Any) -> dict[str, Any]:
    cls = type(processor)
    params: dict[str, Any] = {"class": f"{cls.__module__}.{cls.__qualname__}",
                              "name_or_path": str(getattr(processor, "name_or_path", ""))}
    if hasattr(processor, "to_dict"):  # image processors and feature extractors
        params["config"] = {k: v for k, v in processor.to_dict().items() if not k.startswith("_")}
    if hasattr(processor, "get_vocab"):  # tokenizers: the vocabulary and how padding / truncation are done
        params.update(vocab_size=len(processor), padding_side=processor.padding_side,
                      truncation_side=getattr(processor, "truncation_side", None),
                      model_max_length=getattr(processor, "model_max_length", None),
                      special_tokens={k: str(v) for k, v in processor.special_tokens_map.items()},
                      state_sha256=tokenizer_state_sha256(processor))
    return params


def hidden_state_count(model: nn.Module) -> int:
    """Number of hidden states the model returns (embeddings + one per layer or stage), from its config."""
    config = model.config
    layers = getattr(config, "num_hidden_layers", None)
    if layers is None and hasattr(config, "get_text_config"):
        layers = getattr(config.get_text_config(), "num_hidden_layers", None)
    if layers is None and getattr(config, "depths", None):  # convnets (ResNet, ConvNeXt): one state per stage
        layers = len(config.depths)
    return 0 if layers is None else int(layers) + 1


def untrained_modules(model: nn.Module, missing_keys: set[str]) -> frozenset[str]:
    """The module names whose outputs depend on randomly initialised weights (``missing_keys`` of the load).

    A module is untrained when it holds a missing parameter below it, or when it sits inside a top-level module
    whose parameters are all missing (a BERT pooler loaded from a masked-LM checkpoint: ``pooler``,
    ``pooler.dense`` and ``pooler.activation``).
    """
    if not missing_keys:
        return frozenset()
    params = [name for name, _ in model.named_parameters()]
    names = [name for name, _ in model.named_modules() if name]
    out = {m for m in names if any(k.startswith(m + ".") for k in missing_keys)}
    for top in {k.split(".", 1)[0] for k in missing_keys}:
        if all(p in missing_keys for p in params if p.startswith(top + ".")):
            out.update(m for m in names if m == top or m.startswith(top + "."))
    return frozenset(out)


class HFAdapter(TorchAdapter):
    """A :class:`TorchAdapter` for a ``transformers`` model: layers are ``hidden_states.<i>`` (``0`` is the
    embedding output), the model's main output (``logits`` for models with a head, else ``last_hidden_state``),
    and every named module.

    A model loaded by id (:func:`~neuroalign.models.hf.load_hf_model`) is bound to its source (:meth:`bind`): its
    returned outputs are listed from its config (``pooler_output`` included where trained), modules left randomly
    initialised by the checkpoint are not offered as layers, and its fingerprint records the hub repository and
    commit (or the local folder's weight files) and the dtype.
    """

    processor: Any
    source: "HFSource | None" = None
    family: "Family | None" = None
    _outputs: tuple[str, ...] | None = None
    _untrained: frozenset[str] = frozenset()
    _missing: frozenset[str] = frozenset()

    def mark_untrained(self, missing_keys: set[str]) -> "HFAdapter":
        """Record the weights the checkpoint did not hold (``from_pretrained``'s ``missing_keys``): the modules
        they feed are no layers, and they are left out of the weights hash (they are random on every load).
        Returns the adapter."""
        self._missing = frozenset(missing_keys)
        self._untrained = untrained_modules(self.model, set(missing_keys))
        return self

    def bind(self, source: "HFSource", family: "Family", outputs: tuple[str, ...] | None,
             missing_keys: set[str]) -> "HFAdapter":
        """Attach what loading by id found out; returns the adapter."""
        self.source, self.family = source, family
        self.mark_untrained(missing_keys)
        if outputs is not None:
            top = {name.split(".", 1)[0] for name in self._untrained}
            self._outputs = tuple(o for o in outputs if not (o.endswith("pooler_output") and "pooler" in top))
        return self

    @property
    def untrained(self) -> frozenset[str]:
        """Modules left randomly initialised by the checkpoint (never offered as layers)."""
        return self._untrained

    def _output_layers(self) -> tuple[str, ...]:
        if self._outputs is not None:
            return self._outputs
        head = "logits" if type(self.model).__name__.endswith(_HEADS) else "last_hidden_state"
        return (*(f"{HIDDEN}.{i}" for i in range(hidden_state_count(self.model))), head)

    def _module_layers(self) -> dict[str, str]:
        return {k: v for k, v in super()._module_layers().items() if v not in self._untrained}

    @property
    def layers(self) -> tuple[str, ...]:
        """The hidden states and the main output first, then every named module."""
        return (*self._output_layers(), *self._module_layers())

    def fingerprint(self) -> dict[str, Any]:
        """Model class, weights hash (untrained parameters left out), preprocessing; and, when loaded by id, the
        source (hub repository and commit, or the folder's weight files) and dtype."""
        cls = type(self.model)
        fingerprint = {"model_class": f"{cls.__module__}.{cls.__qualname__}",
                       "weights_sha256": self._weights_hash or state_dict_hash(self.model, exclude=self._missing),
                       "preprocessing": self._preprocessing_params()}
        if self.source is None:
            return fingerprint
        param = next(self.model.parameters(), None)
        return {**fingerprint, "source": self.source.provenance(),
                "dtype": str(param.dtype) if param is not None else None}

    def _preprocessing_params(self) -> Any:
        params = {**_processor_params(self.processor), **self._extra_params()}
        if self.source is not None:  # the snapshot's path differs between machines; what it holds does not
            params["name_or_path"] = self.source.label
        return params

    def _extra_params(self) -> dict[str, Any]:
        return {}

    def _model_inputs(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Floating-point inputs in the model's dtype (a bfloat16 model takes bfloat16 pixels)."""
        param = next(self.model.parameters(), None)
        if param is None or not param.is_floating_point():
            return dict(inputs)
        return {k: v.to(param.dtype) if isinstance(v, torch.Tensor) and v.is_floating_point() else v
                for k, v in inputs.items()}

    def _call(self, inputs: Mapping[str, Any]) -> Any:
        return self.model(**self._model_inputs(inputs), output_hidden_states=True, return_dict=True)

    def _output_tensor(self, output: Any, layer: str) -> torch.Tensor:
        if layer.startswith(HIDDEN + "."):
            return output.hidden_states[int(layer.split(".", 1)[1])]
        value = output.get(layer) if hasattr(output, "get") else None
        return value if isinstance(value, torch.Tensor) else first_tensor(output)
