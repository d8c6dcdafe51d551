"""Deprecated: devices are chosen by :mod:`neuroalign.backend` for every part of neuroalign."""

from __future__ import annotations

import warnings
from typing import Any


def resolve_device(device: Any) -> Any:
    """Deprecated alias of :func:`neuroalign.backend.resolve_device`.

    ``None`` now means the CPU, as everywhere (it meant "CUDA when available" here); ``"auto"`` still means that.
    """
    from neuroalign.backend import resolve_device as resolve

    warnings.warn("neuroalign.models.device.resolve_device is deprecated; use neuroalign.backend.resolve_device "
                  "(where None means the CPU and 'auto' CUDA when available)", FutureWarning, stacklevel=2)
    return resolve(device)
