"""Deprecated: devices are chosen by :mod:`neuroalign.backend` for every part of neuroalign."""

from __future__ import annotations

import warnings
from typing import Any

from neuroalign.backend import AUTO, resolve_device as resolve


def resolve_device(device: Any) -> Any:
    """Deprecated alias of :func:`neuroalign.backend.resolve_device`, keeping its old reading of ``None``.

    Here ``None`` still means ``"auto"`` (CUDA when available), as it did; in :mod:`neuroalign.backend`, as
    everywhere else, ``None`` means the CPU.
    """
    warnings.warn("neuroalign.models.device.resolve_device is deprecated; use neuroalign.backend.resolve_device "
                  "(where None means the CPU; pass 'auto' for CUDA when available)", FutureWarning, stacklevel=2)
    return resolve(AUTO if device is None else device)
