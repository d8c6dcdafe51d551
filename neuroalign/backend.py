"""Where and in which precision a computation runs: the one meaning of ``device`` and ``dtype``.

Every function of neuroalign that takes ``device`` reads it through this module (in the spirit of himalaya's
``get_backend()``, without its global state: the backend is chosen per call). The rule, also in
``docs/conventions.md`` ("Devices"):

- ``None``: the CPU default path. NumPy/BLAS where the engine has a NumPy path (comparators, bootstrap; the RDM
  engine's Gram products), torch on the CPU where it has not (feature metrics).
- ``"cpu"`` or ``torch.device("cpu")``: the same CPU computation. An engine may run it in torch rather than
  NumPy, so a score is the same number to rounding, not always to the last bit.
- ``"cuda"``, ``"cuda:1"``, ``torch.device("cuda", 1)`` (or ``"mps"``): that device. Asking for one torch cannot
  use here raises :class:`~neuroalign.errors.DeviceUnavailableError`, from :func:`resolve_device` only.
- ``"auto"``: CUDA when torch sees a GPU, else exactly what ``None`` does.

:func:`get_backend` turns ``device`` and ``dtype`` into a :class:`Backend` named as himalaya names its backends:
``"numpy"`` (the CPU default path), ``"torch"`` (torch on the CPU) or ``"torch_cuda"`` (torch on a GPU).
:func:`resolve_device` is the one place that builds a ``torch.device`` and :func:`resolve_dtype` the one that reads
a precision. Model extraction defaults to ``device="auto"``; every engine defaults to ``None``.

Why the CPU default path is what it is (measured; the numbers are the same to rounding either way):

- The RDM engine's Gram products (``A @ A.T``) go through NumPy's BLAS on the CPU (:attr:`Backend.numpy_blas`).
  torch's CPU wheels link Intel MKL, whose DGEMM runs at about half of OpenBLAS's speed on AMD processors
  (0.19 s versus 0.10 s for a 1000 x 10000 float64 Gram on a 2-core AMD EPYC), and NumPy turns ``A @ A.T`` into a
  symmetric rank-k update. How the engine keeps torch's own threads and allocator out of the way meanwhile is in
  :mod:`neuroalign.rdm.backend`.
- The comparators' products go the other way: short and very wide operands (100 x 499,500 times its transpose)
  take 2.4 s in NumPy's bundled OpenBLAS against 0.38 s in torch's MKL, so on the default path a product of at
  least :data:`TORCH_MIN_WORK` multiply-adds runs in torch on the CPU, and a smaller one in NumPy, where
  importing torch would cost more than the product (:meth:`Backend.products_in_torch`).

Importing this module imports neither torch nor anything heavy: torch is imported when a call needs it (any
device other than ``None``, or a torch dtype to read).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from neuroalign.errors import DeviceUnavailableError, InvalidOptionError

__all__ = ["AUTO", "DTYPES", "NUMPY", "TORCH", "TORCH_CUDA", "TORCH_MIN_WORK", "Backend", "get_backend",
           "meta_device", "resolve_device", "resolve_dtype"]

#: The spelling of "CUDA when available, else the CPU default path".
AUTO = "auto"

#: Backend names (himalaya's): the CPU default path, torch on the CPU, torch on a GPU.
NUMPY, TORCH, TORCH_CUDA = "numpy", "torch", "torch_cuda"

#: Products with at least this many multiply-adds run in torch even on the CPU default path (see the module).
TORCH_MIN_WORK = 1 << 28

#: The floating precisions a computation can run in.
DTYPES = ("float64", "float32")

_SPELLINGS = "None, 'auto', 'cpu', 'cuda', 'cuda:N' or a torch.device"


def _torch() -> Any:
    import torch  # heavy (about a second): imported only by the calls that need a torch device or dtype

    return torch


def resolve_device(device: Any = None, *, here: bool = True) -> Any:
    """The ``torch.device`` that ``device`` names, checked to be usable here.

    Parameters
    ----------
    device : None, str or torch.device
        ``None`` and ``"cpu"`` are the CPU, ``"auto"`` is CUDA when available else the CPU; ``"cuda"``,
        ``"cuda:N"`` or a ``torch.device`` as given (see the module for what each means to an engine).
    here : bool
        Check that torch can use the device on this machine. ``False`` checks the spelling only, for a device
        that other machines will use (the workers of a distributed grid resolve it for themselves).

    Returns
    -------
    torch.device

    Raises
    ------
    DeviceUnavailableError
        For a CUDA (or MPS) device where torch sees none, or a CUDA index beyond the devices it sees.
    InvalidOptionError
        For anything that is not a device spelling (``"gpu"``, ``"cuda:x"``, ``3.5``).

    Examples
    --------
    >>> resolve_device(None), resolve_device("cpu")
    (device(type='cpu'), device(type='cpu'))
    """
    torch = _torch()
    if device is None:
        return torch.device("cpu")
    if isinstance(device, str) and device == AUTO:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if not isinstance(device, (str, torch.device)):
        raise InvalidOptionError(f"device must be {_SPELLINGS}; got {device!r} ({type(device).__name__})")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError, ValueError) as error:
        raise InvalidOptionError(f"device must be {_SPELLINGS}; got {device!r}, which torch does not read ({error}). "
                                 "For a GPU say 'cuda' (or 'auto': CUDA when available)") from None
    if resolved.type not in ("cpu", "cuda", "mps"):
        raise InvalidOptionError(f"device must be {_SPELLINGS}; got {device!r} (neuroalign computes on the CPU, "
                                 f"CUDA or MPS, not on {resolved.type!r})")
    if not here:
        return resolved
    if resolved.type == "cuda":
        _check_cuda(resolved, torch)
    elif resolved.type == "mps" and not torch.backends.mps.is_available():
        raise DeviceUnavailableError(f"device {str(resolved)!r} was requested but torch sees no MPS device here; "
                                     "use device='auto' or None (the CPU)")
    return resolved


def _check_cuda(device: Any, torch: Any) -> None:
    if not torch.cuda.is_available():
        raise DeviceUnavailableError(
            f"device {str(device)!r} was requested but CUDA is not available: torch sees no CUDA device here. Use "
            "device='auto' (CUDA when there is a GPU, else the CPU) or None (the CPU)")
    count = torch.cuda.device_count()
    if device.index is not None and device.index >= count:
        raise DeviceUnavailableError(f"device {str(device)!r} was requested but torch sees {count} CUDA "
                                     f"device(s) here (cuda:0 to cuda:{count - 1})")


def meta_device() -> Any:
    """torch's ``meta`` device, as a context in which modules are built without allocating their weights.

    Used to read a model's structure (its layers, their output sizes) from a config without memory or weights;
    nothing computed there has values.

    Returns
    -------
    torch.device
        ``torch.device("meta")``, usable as ``with meta_device(): ...``.
    """
    return _torch().device("meta")


def resolve_dtype(dtype: Any = "float64") -> str:
    """The name (``"float64"`` or ``"float32"``) of the precision ``dtype`` names.

    Parameters
    ----------
    dtype : str, numpy dtype, torch.dtype or None
        ``"float64"``, ``np.float64``, ``torch.float64`` (or their float32 counterparts); ``None`` is float64.

    Raises
    ------
    InvalidOptionError
        For any other type (integers, float16, objects).
    """
    if dtype is None or (isinstance(dtype, str) and dtype in DTYPES):  # the common spellings, quickly
        return dtype or "float64"
    if type(dtype).__module__ == "torch":  # a torch.dtype: read by name, so that torch need not be imported
        name = str(dtype).removeprefix("torch.")
    else:
        try:
            name = np.dtype(dtype).name
        except TypeError:
            name = None
    if name not in DTYPES:
        raise InvalidOptionError(f"dtype must be float64 or float32 (a name, a NumPy dtype or a torch dtype); "
                                 f"got {dtype!r}")
    return name


@dataclass(frozen=True)
class Backend:
    """Where and in which precision one computation runs (see the module, and :func:`get_backend`).

    Attributes
    ----------
    name : {"numpy", "torch", "torch_cuda", "torch_mps"}
        ``"numpy"`` is the CPU default path (``device=None``, or ``"auto"`` without a GPU).
    device : str
        The torch spelling of the device (``"cpu"``, ``"cuda"``, ``"cuda:1"``); ``"cpu"`` for ``"numpy"``.
    dtype : {"float64", "float32"}
    """

    name: str
    device: str = "cpu"
    dtype: str = "float64"

    @property
    def on_cuda(self) -> bool:
        """Whether the computation runs on a GPU."""
        return self.name == TORCH_CUDA

    @property
    def numpy_blas(self) -> bool:
        """Whether dense Gram products go through NumPy's BLAS (on the CPU, whichever way it was asked for)."""
        return self.device == "cpu"

    def products_in_torch(self, work: int) -> bool:
        """Whether a dense product of ``work`` multiply-adds runs in torch (see :data:`TORCH_MIN_WORK`)."""
        return self.name != NUMPY or work >= TORCH_MIN_WORK

    @property
    def torch_device(self) -> Any:
        """The ``torch.device`` (the CPU for ``"numpy"``); imports torch."""
        return resolve_device(self.device)

    @property
    def tensor_device(self) -> Any:
        """The ``torch.device`` for an engine with a NumPy and a torch path: ``None`` on the NumPy path."""
        return None if self.name == NUMPY else self.torch_device

    @property
    def torch_dtype(self) -> Any:
        """The compute precision as a ``torch.dtype``; imports torch."""
        return getattr(_torch(), self.dtype)

    @property
    def numpy_dtype(self) -> np.dtype:
        """The compute precision as a NumPy dtype."""
        return np.dtype(self.dtype)

    @property
    def eps(self) -> float:
        """Machine epsilon of the compute precision."""
        return float(np.finfo(self.dtype).eps)


_DEFAULT = {precision: Backend(NUMPY, "cpu", precision) for precision in DTYPES}


def get_backend(device: Any = None, dtype: Any = None) -> Backend:
    """Where (``device``) and in which precision (``dtype``) a computation runs.

    Parameters
    ----------
    device : None, str, torch.device or Backend
        See the module: ``None`` the CPU default path, ``"auto"`` CUDA when available else ``None``'s path,
        ``"cpu"`` the same computation in torch where the engine prefers, ``"cuda"``/``"cuda:N"`` that GPU. A
        :class:`Backend` is returned as it is (with ``dtype`` if given): an engine resolves ``device`` once and
        passes its backend on to its helpers.
    dtype : str, numpy dtype or torch.dtype, optional
        float64 (the default) or float32 (see :func:`resolve_dtype`).

    Returns
    -------
    Backend

    Raises
    ------
    DeviceUnavailableError
        For a device torch cannot use here (CUDA without a GPU).
    InvalidOptionError
        For anything that is not a device spelling, or a dtype other than float64/float32.

    Examples
    --------
    >>> get_backend()
    Backend(name='numpy', device='cpu', dtype='float64')
    >>> get_backend("cpu", "float32")
    Backend(name='torch', device='cpu', dtype='float32')
    """
    if isinstance(device, Backend):
        return device if dtype is None else replace(device, dtype=resolve_dtype(dtype))
    precision = resolve_dtype(dtype)
    if device is None:  # the common case (many small comparisons) decides quickly, without importing torch
        return _DEFAULT[precision]
    resolved = resolve_device(device)
    if isinstance(device, str) and device == AUTO and resolved.type == "cpu":
        return _DEFAULT[precision]
    if resolved.type == "cpu":  # "cpu:0" is the CPU too
        return Backend(TORCH, "cpu", precision)
    return Backend(f"torch_{resolved.type}", str(resolved), precision)
