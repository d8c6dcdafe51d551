"""Forward hooks that record pooled copies of named modules' outputs during one forward pass."""

from __future__ import annotations

from typing import Any, Mapping

import torch
from torch import nn

from neuroalign.errors.adapters import LayerCallError
from neuroalign.models.pooling import pool


def first_tensor(output: Any) -> torch.Tensor:
    """The tensor a module "outputs": itself, the first element of a tuple, or the first value of a mapping.

    HuggingFace layers return tuples or ``ModelOutput`` mappings whose first entry is the hidden state.
    """
    if isinstance(output, torch.Tensor):
        return output
    if isinstance(output, Mapping):
        output = list(output.values())
    if isinstance(output, (tuple, list)) and output and isinstance(output[0], torch.Tensor):
        return output[0]
    raise TypeError(f"cannot record a module output of type {type(output).__name__}; hook a module that returns a "
                    "tensor (or a tuple / ModelOutput whose first entry is one)")


class LayerRecorder:
    """Record the pooled output of some of a model's modules, as copies taken the moment the module returns.

    Use as a context manager around the forward passes; hooks are removed on exit, also after an error.

    Parameters
    ----------
    model : nn.Module
        The model.
    poolings : mapping of str to str
        ``{module name: pooling name}``; names as in ``model.named_modules()``.
    """

    def __init__(self, model: nn.Module, poolings: Mapping[str, str]) -> None:
        self._modules = dict(model.named_modules())
        self._poolings = dict(poolings)
        self._handles: list[Any] = []
        self._records: dict[str, list[torch.Tensor]] = {}
        self.mask: torch.Tensor | None = None

    def __enter__(self) -> "LayerRecorder":
        for name in self._poolings:
            self._handles.append(self._modules[name].register_forward_hook(self._hook(name)))
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles.clear()

    def _hook(self, name: str):
        how = self._poolings[name]

        def hook(module: nn.Module, inputs: Any, output: Any) -> None:
            # Pool (and copy) now, before any in-place operation downstream can rewrite the output tensor.
            self._records.setdefault(name, []).append(pool(how, first_tensor(output).detach(), self.mask))

        return hook

    def start(self, mask: torch.Tensor | None = None) -> None:
        """Forget earlier records and set the token mask for the next forward pass."""
        self._records = {}
        self.mask = mask

    def collect(self) -> dict[str, torch.Tensor]:
        """The ``(batch, units)`` record of each hooked module for the last forward pass.

        Raises
        ------
        LayerCallError
            If a module did not run, or ran more than once (a module object reused in several places).
        """
        out = {}
        for name in self._poolings:
            calls = self._records.get(name, [])
            if len(calls) != 1:
                raise LayerCallError(
                    f"module {name!r} ran {len(calls)} times in one forward pass; a layer must run exactly once. "
                    "Pick a module that is not reused (an activation function object shared by several blocks "
                    "runs many times) or one that the forward pass actually reaches.")
            out[name] = calls[0]
        return out
