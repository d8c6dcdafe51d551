"""The one dense product every vectorised comparator ends in, on numpy or on a torch device.

Where it runs is :func:`neuroalign.backend.get_backend`'s answer: on the CPU default path (``device=None``, or
``"auto"`` without a GPU) numpy for small products and torch on the CPU for large ones
(:data:`~neuroalign.backend.TORCH_MIN_WORK`: numpy's bundled OpenBLAS is several times slower than torch's MKL for
the short-and-very-wide operands of RDM comparisons), torch on the given device otherwise.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from neuroalign.backend import TORCH_MIN_WORK, get_backend, resolve_device

__all__ = ["TORCH_MIN_WORK", "cross_products"]


def torch_device(device: Any) -> Any:
    """Deprecated: use :func:`neuroalign.backend.resolve_device` (``None`` means the CPU there too)."""
    warnings.warn("neuroalign.compare.backend.torch_device is deprecated; use neuroalign.backend.resolve_device",
                  FutureWarning, stacklevel=2)
    return resolve_device(device)


def cross_products(za: np.ndarray, zb: np.ndarray | None = None, *, device: Any = None) -> np.ndarray:
    """All inner products between the rows of ``za`` and of ``zb`` (``za`` with itself when ``zb`` is None).

    Parameters
    ----------
    za : ndarray, shape (n_a, m)
    zb : ndarray, shape (n_b, m), optional
    device : None, str or torch.device
        See ``docs/conventions.md`` ("Devices"). ``None`` uses numpy for small products and torch on the CPU for
        large ones; a torch device (``"cpu"``, ``"cuda"``) computes there in float64.

    Returns
    -------
    ndarray, shape (n_a, n_b), float64
    """
    other = za if zb is None else zb
    backend = get_backend(device)
    if not backend.products_in_torch(za.shape[0] * other.shape[0] * za.shape[1]):
        return za @ other.T
    import torch  # heavy: only for products large enough (or a device asked for)

    dev, dtype = backend.torch_device, backend.torch_dtype  # float64 unless a caller's backend says otherwise
    ta = torch.as_tensor(np.ascontiguousarray(za), dtype=dtype, device=dev)
    tb = ta if zb is None else torch.as_tensor(np.ascontiguousarray(zb), dtype=dtype, device=dev)
    return (ta @ tb.T).cpu().numpy()
