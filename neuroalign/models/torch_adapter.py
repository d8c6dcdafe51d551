"""The adapter for any ``torch.nn.Module``: forward hooks on named modules, ``eval()`` and inference mode."""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Mapping, Sequence

import numpy as np
import torch
from torch import nn

from neuroalign.models.adapter import Adapter, BatchRunner
from neuroalign.models.hooks import LayerRecorder, first_tensor
from neuroalign.models.pooling import pool
from neuroalign.models.weights import state_dict_hash

#: The layer name of the model's own return value (the root module, whose ``named_modules`` name is ``""``).
OUTPUT = "output"


def _to_device(inputs: Any, device: torch.device) -> Any:
    if isinstance(inputs, torch.Tensor):
        return inputs.to(device, non_blocking=True)
    if isinstance(inputs, Mapping):
        return {k: _to_device(v, device) for k, v in inputs.items()}
    return inputs


def _transform_params(transform: Any) -> Any:
    # A transform without params() is keyed by its repr: an object address in it makes every run a cache miss,
    # which is slow but never stale.
    return transform.params() if hasattr(transform, "params") else {"repr": repr(transform)}


class TorchAdapter(Adapter):
    """Record named modules of a PyTorch model.

    Parameters
    ----------
    model : nn.Module
        The model. It is put in ``eval()`` mode and moved to the extraction device for the duration of an
        extraction, then restored to its previous mode and device.
    transform : callable
        ``transform(list of loaded payloads)`` -> the model's input batch (a tensor, or a mapping of keyword
        arguments), or a tuple ``(inputs, token_mask)``. For images, an
        :class:`~neuroalign.models.inputs.ImageTransform`. Its ``params()`` (when present) enter the cache key.
    model_id : str
        A stable id (used in cache keys and results).
    modality : str
        ``"image"``, ``"text"`` or ``"audio"``: which payload of a stimulus set the model reads.
    batch_size : int
        Default stimuli per forward pass.
    default_pooling : str or mapping
        Pooling used when ``extract`` is not given one.
    weights_hash : str, optional
        A precomputed hash of the weights; by default the state dict is hashed at every extraction.

    Notes
    -----
    Layers are the names of ``model.named_modules()``, plus ``"output"`` for the model's return value. A module
    must run exactly once per forward pass to be recorded.
    """

    def __init__(self, model: nn.Module, transform: Callable[[Sequence[Any]], Any], *, model_id: str,
                 modality: str = "image", batch_size: int = 32, default_pooling: str | Mapping[str, str] = "flatten",
                 weights_hash: str | None = None) -> None:
        self.model = model
        self.transform = transform
        self.model_id = model_id
        self.modality = modality
        self.batch_size = batch_size
        self.default_pooling = default_pooling
        self._weights_hash = weights_hash

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.model_id!r}, {len(self.layers)} layers)"

    # --- what the model offers ------------------------------------------------------------------------------------
    def _module_layers(self) -> dict[str, str]:
        """``{layer name: module name}`` of the hookable modules."""
        return {name: name for name, _ in self.model.named_modules() if name}

    def _output_layers(self) -> tuple[str, ...]:
        return (OUTPUT,)

    @property
    def layers(self) -> tuple[str, ...]:
        """Hookable module names in model order, then the output layers."""
        return (*self._module_layers(), *self._output_layers())

    def fingerprint(self) -> dict[str, Any]:
        """Model class, weights hash and preprocessing parameters."""
        cls = type(self.model)
        return {"model_class": f"{cls.__module__}.{cls.__qualname__}",
                "weights_sha256": self._weights_hash or state_dict_hash(self.model),
                "preprocessing": self._preprocessing_params()}

    def _preprocessing_params(self) -> Any:
        return _transform_params(self.transform)

    # --- running ------------------------------------------------------------------------------------------------
    def _prepare(self, payloads: Sequence[Any]) -> tuple[Any, torch.Tensor | None]:
        """Loaded payloads -> ``(model inputs, token mask or None)``."""
        out = self.transform(payloads)
        return out if isinstance(out, tuple) else (out, None)

    def _call(self, inputs: Any) -> Any:
        return self.model(**inputs) if isinstance(inputs, Mapping) else self.model(inputs)

    def _output_tensor(self, output: Any, layer: str) -> torch.Tensor:
        return first_tensor(output)

    @contextlib.contextmanager
    def session(self, poolings: Mapping[str, str], device: Any) -> Iterator[BatchRunner]:
        """Put the model in eval mode on ``device`` with hooks on the requested modules; restore it afterwards."""
        modules = self._module_layers()
        hooked = {modules[layer]: how for layer, how in poolings.items() if layer in modules}
        outputs = {layer: how for layer, how in poolings.items() if layer not in modules}
        by_module = {modules[layer]: layer for layer in poolings if layer in modules}
        param = next(self.model.parameters(), None)
        original_device = param.device if param is not None else None
        was_training = self.model.training
        self.model.eval()
        self.model.to(device)
        try:
            with torch.inference_mode(), LayerRecorder(self.model, hooked) as recorder:
                def run(payloads: Sequence[Any]) -> dict[str, np.ndarray]:
                    inputs, mask = self._prepare(payloads)
                    mask = None if mask is None else mask.to(device)
                    recorder.start(mask)
                    output = self._call(_to_device(inputs, device))
                    got = {by_module[name]: t for name, t in recorder.collect().items()}
                    for layer, how in outputs.items():
                        got[layer] = pool(how, self._output_tensor(output, layer).detach(), self._mask_for(layer, mask))
                    return {layer: got[layer].to("cpu", torch.float32).numpy() for layer in poolings}

                yield run
        finally:
            self.model.train(was_training)
            if original_device is not None:
                self.model.to(original_device)

    def _mask_for(self, layer: str, mask: torch.Tensor | None) -> torch.Tensor | None:
        return mask
