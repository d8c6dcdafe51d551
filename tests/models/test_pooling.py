"""Pooling functions: token poolings respect the mask and the padding side; copies, never views."""

from __future__ import annotations

import pytest
import torch

from neuroalign.errors import ShapeMismatchError, UnknownNameError
from neuroalign.models.pooling import POOLINGS, pool, pooling_for_layers


def _padded(side: str) -> tuple[torch.Tensor, torch.Tensor]:
    torch.manual_seed(1)
    x = torch.randn(2, 4, 3)
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]] if side == "right" else [[1, 1, 1, 1], [0, 0, 1, 1]])
    return x, mask


@pytest.mark.parametrize("side", ["right", "left"])
def test_token_mean_and_last_token_ignore_padding(side):
    x, mask = _padded(side)
    real = x[1, mask[1].bool()]
    torch.testing.assert_close(pool("token_mean", x, mask)[1], real.mean(0))
    torch.testing.assert_close(pool("last_token", x, mask)[1], real[-1])
    torch.testing.assert_close(pool("last_token", x, mask)[0], x[0, -1])


def test_first_token_and_flatten_are_copies():
    x = torch.randn(2, 3, 4)
    first, flat = pool("first_token", x), pool("flatten", x)
    x.zero_()
    assert first.abs().sum() > 0 and flat.abs().sum() > 0


def test_spatial_mean_is_over_axes_after_channels():
    x = torch.randn(2, 3, 5, 7)
    torch.testing.assert_close(pool("spatial_mean", x), x.mean(dim=(2, 3)))


def test_token_pooling_needs_tokens_axis():
    with pytest.raises(ShapeMismatchError, match="spatial_mean"):
        pool("token_mean", torch.randn(2, 3, 4, 4))


def test_pooling_names_and_mapping():
    assert {"flatten", "spatial_mean", "token_mean", "first_token", "last_token"} <= set(POOLINGS.names())
    assert pooling_for_layers({"a": "avg", "*": "cls"}, ("a", "b")) == {"a": "spatial_mean", "b": "first_token"}
    with pytest.raises(UnknownNameError, match="Did you mean"):
        pooling_for_layers("token_maen", ("a",))
    with pytest.raises(ValueError, match="no pooling given for layer 'b'"):
        pooling_for_layers({"a": "flatten"}, ("a", "b"))
