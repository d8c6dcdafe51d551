"""The one dense product every vectorised comparator ends in, on numpy or on a torch device."""

from __future__ import annotations

from typing import Any

import numpy as np

#: Products with at least this many multiply-adds run in torch even on the CPU: numpy's bundled OpenBLAS is
#: several times slower than torch's MKL for the short-and-very-wide operands of RDM comparisons (100 x 499,500
#: times its transpose: 2.4 s against 0.38 s here), while below this size torch's import would cost more.
TORCH_MIN_WORK = 1 << 28


def torch_device(device: Any) -> Any:
    """A ``torch.device`` for ``device`` (``None`` means CPU); imports torch only when called."""
    import torch

    return torch.device("cpu" if device is None else device)


def cross_products(za: np.ndarray, zb: np.ndarray | None = None, *, device: Any = None) -> np.ndarray:
    """All inner products between the rows of ``za`` and of ``zb`` (``za`` with itself when ``zb`` is None).

    Parameters
    ----------
    za : ndarray, shape (n_a, m)
    zb : ndarray, shape (n_b, m), optional
    device : str or torch.device, optional
        A torch device (``"cpu"``, ``"cuda"``) computes there in float64. ``None`` uses numpy for small products
        and torch on the CPU for large ones (see :data:`TORCH_MIN_WORK`).

    Returns
    -------
    ndarray, shape (n_a, n_b), float64
    """
    other = za if zb is None else zb
    if device is None and za.shape[0] * other.shape[0] * za.shape[1] < TORCH_MIN_WORK:
        return za @ other.T
    import torch

    dev = torch_device(device)
    ta = torch.as_tensor(np.ascontiguousarray(za), dtype=torch.float64, device=dev)
    tb = ta if zb is None else torch.as_tensor(np.ascontiguousarray(zb), dtype=torch.float64, device=dev)
    return (ta @ tb.T).cpu().numpy()
