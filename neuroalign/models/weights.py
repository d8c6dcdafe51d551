"""Content hashes of model weights, for cache keys that change whenever the numbers could."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable

import torch
from torch import nn
from torch.nn.parameter import is_lazy

from neuroalign.errors.adapters import UninitializedWeightsError


def state_dict_hash(model: nn.Module, exclude: Iterable[str] = ()) -> str:
    """sha256 over every parameter and buffer (name, dtype, shape and bytes), in state-dict order.

    Hashes what is in memory, so fine-tuned or re-initialised weights never share a key with the originals.
    ``exclude`` names state-dict entries left out: weights a checkpoint did not hold, which ``from_pretrained``
    initialises at random (differently on every load) and which no offered layer reads.

    Raises
    ------
    UninitializedWeightsError
        The model holds a lazy parameter that no forward pass has materialised yet.
    """
    skip = frozenset(exclude)
    h = hashlib.sha256()
    for name, tensor in model.state_dict().items():
        if name in skip:
            continue
        if is_lazy(tensor):
            raise UninitializedWeightsError(
                f"parameter {name!r} of {type(model).__name__} is not initialised yet (a lazy module such as "
                f"LazyLinear): run the model once on a sample batch, e.g. `model(example_input)`, so that its "
                f"weights exist, then wrap it")
        t = tensor.detach().to("cpu").contiguous()
        h.update(f"{name}|{t.dtype}|{tuple(t.shape)}|".encode())
        # Through bytes of the raw storage: numpy cannot view bfloat16, so go through an untyped byte view.
        h.update(t.reshape(-1).view(dtype=torch.uint8).numpy().tobytes() if t.numel() else b"")
    return h.hexdigest()


def files_hash(paths: Iterable[str | os.PathLike[str]]) -> str:
    """sha256 over the bytes of weight files (name and content), e.g. a GGUF or safetensors file."""
    h = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        h.update(path.name.encode() + b"|")
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()
