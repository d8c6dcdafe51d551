"""The check that every batch of a layer has the number of units the first batch had."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from neuroalign.errors.adapters import InconsistentShapeError


def check_units(layer: str, block: np.ndarray, expected: int, ids: Sequence[str], start: int) -> None:
    """Raise :class:`InconsistentShapeError` unless ``block`` is ``(batch, expected)``."""
    if block.ndim == 2 and block.shape[1] == expected:
        return
    got = block.shape[1:] if block.ndim == 2 else block.shape
    stop = min(len(ids), start + len(block)) - 1
    raise InconsistentShapeError(
        f"layer {layer!r} gave {got} units for stimuli {ids[start]!r}..{ids[stop]!r} but {expected} for earlier "
        "ones; a variable-size output (a sequence, an image of another size) needs a pooling that fixes the size "
        "(spatial_mean, token_mean, first_token, last_token). Nothing was cached.")
