"""Pooling: how one layer's output for a batch becomes a ``(batch, units)`` matrix.

Every pooling function takes the output tensor (batch first) and an optional token mask ``(batch, tokens)`` (1 for
real tokens, 0 for padding) and returns a 2-D tensor. Dimensions are never guessed from the shape: ``spatial_mean``
means "channels first, average everything after the channel axis"; the token poolings mean "tokens on axis 1".
"""

from __future__ import annotations

from typing import Callable, Mapping

import torch

from neuroalign.errors import ShapeMismatchError
from neuroalign.models.layers import layer_matches
from neuroalign.registry import Registry

PoolFn = Callable[[torch.Tensor, "torch.Tensor | None"], torch.Tensor]

POOLINGS: Registry[PoolFn] = Registry("pooling")


def _flatten(x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    return x.reshape(x.shape[0], -1)


def _spatial_mean(x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    if x.ndim <= 2:
        return x.reshape(x.shape[0], -1)
    return x.mean(dim=tuple(range(2, x.ndim)))


def _require_tokens(x: torch.Tensor, mask: torch.Tensor | None, how: str) -> torch.Tensor:
    if x.ndim != 3:
        raise ShapeMismatchError(f"{how} pooling needs a (batch, tokens, features) output; got shape "
                                 f"{tuple(x.shape)}. Use 'flatten' or 'spatial_mean' for this layer.")
    if mask is None:
        return torch.ones(x.shape[:2], dtype=x.dtype, device=x.device)
    if tuple(mask.shape) != tuple(x.shape[:2]):
        raise ShapeMismatchError(f"token mask of shape {tuple(mask.shape)} does not match output {tuple(x.shape)}")
    return mask.to(device=x.device, dtype=x.dtype)


def _token_mean(x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    m = _require_tokens(x, mask, "token_mean")
    return (x * m.unsqueeze(-1)).sum(1) / m.sum(1, keepdim=True).clamp_min(1)


def _first_token(x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    _require_tokens(x, mask, "first_token")
    return x[:, 0]


def _last_token(x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    m = _require_tokens(x, mask, "last_token")
    # The position of the last real token, whichever side the tokenizer padded on.
    positions = torch.arange(x.shape[1], device=x.device).expand(x.shape[0], -1)
    last = torch.where(m > 0, positions, torch.full_like(positions, -1)).max(dim=1).values.clamp_min(0)
    return x[torch.arange(x.shape[0], device=x.device), last]


POOLINGS.register("flatten", _flatten, aliases=("none",))
POOLINGS.register("spatial_mean", _spatial_mean, aliases=("avg", "gap"))
POOLINGS.register("token_mean", _token_mean, aliases=("mean",))
POOLINGS.register("first_token", _first_token, aliases=("cls",))
POOLINGS.register("last_token", _last_token)


def pooling_for_layers(pooling: str | Mapping[str, str], layers: tuple[str, ...]) -> dict[str, str]:
    """The canonical pooling name for each layer.

    Parameters
    ----------
    pooling : str or mapping
        One pooling for every layer, or ``{layer name or pattern: pooling}``; an exact name wins, then the first
        matching pattern (the grammar of :mod:`neuroalign.models.layers`: ``"_blocks.*"`` is the direct children of
        ``_blocks``), and a lone ``"*"`` key is the default for every other layer, at any depth, wherever it is
        in the mapping.
    layers : tuple of str
        The resolved layers.

    Returns
    -------
    dict
        ``{layer: canonical pooling name}``.

    Raises
    ------
    UnknownNameError
        For an unknown pooling name.
    ValueError
        If a layer matches no key of the mapping.
    """
    if isinstance(pooling, str):
        name = POOLINGS.canonical(pooling)
        return {layer: name for layer in layers}
    out = {}
    for layer in layers:
        key = next((k for k in pooling if k == layer), None) or next(
            (k for k in pooling if k != "*" and layer_matches(k, layer)), None) or ("*" if "*" in pooling else None)
        if key is None:
            raise ValueError(f"no pooling given for layer {layer!r}; add it (or a '*' default) to the pooling mapping")
        out[layer] = POOLINGS.canonical(pooling[key])
    return out


def pool(name: str, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """Apply the pooling registered as ``name`` and return a fresh 2-D tensor (never a view of ``x``).

    A copy matters: a view would change when a later in-place operation (``ReLU(inplace=True)``) rewrites the
    module's output, silently turning recorded pre-activation values into post-activation ones.
    """
    out = POOLINGS.get(name)(x, mask)
    return out.clone() if _shares_memory(out, x) else out


def _shares_memory(a: torch.Tensor, b: torch.Tensor) -> bool:
    # Views share the untyped storage; fresh results (means, gathers) do not.
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()
