"""The RDM engine's tensors and Gram products on the device and precision of :func:`neuroalign.backend.get_backend`.

Everything is a torch tensor so that the same code runs on CPU and CUDA. One exception, for speed only: on the
CPU the Gram products themselves (``A @ B.T``) go through numpy's BLAS (why: :mod:`neuroalign.backend`). The
numbers are the same to rounding; tensors and arrays share memory, so nothing is copied. For the same reason large
CPU buffers are allocated by numpy (:meth:`Backend.empty`): numpy asks the kernel for huge pages, torch's CPU
allocator does not, and page-faulting a fresh 80 MB temporary in 4 kB pages took longer than computing into it
(25 ms of a 150 ms correlation RDM of 1000 x 10000 patterns). While numpy's BLAS does the products, torch's own
elementwise work runs on one thread (:meth:`Backend.running`): two thread pools busy-waiting for the same cores
made a 1000 x 10000 x 2 crossnobis RDM 2.5 times slower and a small one 30 times slower; the elementwise work is
memory-bound anyway. Blocks of units sliced from an in-memory array are not copied: BLAS reads a row-major slice
in place (its row stride is the full width), and a copy of each block cost 7% of a 1000 x 10000 x 2 crossnobis
RDM (:func:`blas_ready`).
"""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch

from neuroalign.backend import get_backend


@dataclass(frozen=True)
class Backend:
    """The device and floating dtype of one computation; ``numpy_blas`` routes CPU Gram products via numpy."""

    device: torch.device
    dtype: torch.dtype
    numpy_blas: bool = False

    @property
    def eps(self) -> float:
        """Machine epsilon of the compute dtype."""
        return float(torch.finfo(self.dtype).eps)

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """The context of a computation: torch's intra-op threads are set to one on the numpy-BLAS path.

        ``torch.set_num_threads`` is process-wide; the previous value is restored on exit.
        """
        if not self.numpy_blas:
            yield
            return
        previous = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(previous)

    @property
    def numpy_dtype(self) -> np.dtype:
        """The numpy dtype of the compute dtype."""
        return np.dtype(np.float64 if self.dtype == torch.float64 else np.float32)

    def tensor(self, array: np.ndarray) -> torch.Tensor:
        """``array`` as a tensor of the compute dtype on the device (shared with ``array`` where possible).

        The engine never writes into a tensor made here, so sharing a read-only input is safe; torch warns about
        read-only arrays regardless, which is noise for this use.
        """
        # On the CPU a view BLAS can read (a block of units of a row-major array) is wrapped, not copied.
        array = blas_ready(np.asarray(array, dtype=self.numpy_dtype)) if self.device.type == "cpu" else \
            np.ascontiguousarray(array)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            out = torch.from_numpy(array)
        return out.to(device=self.device, dtype=self.dtype)

    def empty(self, shape: tuple[int, ...]) -> torch.Tensor:
        """An uninitialised tensor of the compute dtype, to pass as ``out=`` for block-sized results."""
        if self.device.type == "cpu":
            return torch.from_numpy(np.empty(shape, dtype=self.numpy_dtype))
        return torch.empty(shape, device=self.device, dtype=self.dtype)

    def gram(self, a: torch.Tensor, b: torch.Tensor | None = None) -> torch.Tensor:
        """``a @ b.T`` over the last two axes (``a @ a.T`` when ``b`` is None), batched over leading axes."""
        if not self.numpy_blas:
            return torch.matmul(a, (a if b is None else b).transpose(-1, -2))
        a_np = blas_ready(a.numpy())
        if b is not None:
            return torch.from_numpy(np.matmul(a_np, np.swapaxes(blas_ready(b.numpy()), -1, -2)))
        # numpy turns a 2-D ``x @ x.T`` on one buffer into a symmetric rank-k update (half the work of a general
        # product), but not a stacked one: loop over the batch.
        flat = a_np.reshape(-1, *a_np.shape[-2:])
        out = np.empty((flat.shape[0], flat.shape[1], flat.shape[1]), dtype=a_np.dtype)
        for k, x in enumerate(flat):
            np.matmul(x, x.T, out=out[k])
        return torch.from_numpy(out.reshape(*a_np.shape[:-1], a_np.shape[-2]))

    def product(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        """``a @ b`` over the last two axes, broadcast over leading axes."""
        if not self.numpy_blas:
            return torch.matmul(a, b)
        return torch.from_numpy(np.matmul(blas_ready(a.numpy()), blas_ready(b.numpy())))

    def column_sums(self, x: torch.Tensor) -> torch.Tensor:
        """``(..., c)`` sums over the stimulus axis of ``(..., n, c)`` (on the CPU, a BLAS matrix-vector product)."""
        if not self.numpy_blas:
            return x.sum(dim=-2)
        x_np = blas_ready(x.numpy())
        ones = np.ones(x_np.shape[-2], dtype=x_np.dtype)
        out = np.empty(x_np.shape[:-2] + x_np.shape[-1:], dtype=x_np.dtype)
        # One BLAS matrix-vector product per matrix: numpy's stacked product, or one given out=, takes a slow loop.
        for index in np.ndindex(x_np.shape[:-2]):
            out[index] = ones @ x_np[index]
        return torch.from_numpy(out)

    def squared_norms(self, x: torch.Tensor) -> torch.Tensor:
        """``(...)`` sums of squares of the ``(n, c)`` matrices of ``(..., n, c)``, without a block-sized temporary."""
        if not self.numpy_blas:
            return torch.linalg.vector_norm(x, dim=(-2, -1)).square_()
        x_np = x.numpy()
        out = np.empty(x_np.shape[:-2], dtype=x_np.dtype)
        for index in np.ndindex(x_np.shape[:-2]):
            out[index] = np.einsum("ij,ij->", x_np[index], x_np[index])
        return torch.from_numpy(out)


def blas_ready(array: np.ndarray) -> np.ndarray:
    """``array`` itself when BLAS can read its matrices (last two axes) in place, else a C-contiguous copy.

    BLAS reads a matrix whose rows are unit-strided and at least a row apart (a slice of columns of a row-major
    array); numpy's product would otherwise fall back to a slow loop or copy anyway. Negative strides (which torch
    cannot wrap either) also get a copy.
    """
    if array.ndim < 2:
        return np.ascontiguousarray(array)
    item = array.itemsize
    rows, cols = array.strides[-2:]
    if cols == item and rows >= array.shape[-1] * item and min(array.strides) >= 0:
        return array
    return np.ascontiguousarray(array)


def resolve_backend(device: str | torch.device | None, dtype: torch.dtype) -> Backend:
    """The engine's :class:`Backend` for ``device`` and ``dtype`` (read by :func:`neuroalign.backend.get_backend`).

    Raises
    ------
    InvalidOptionError
        If ``dtype`` is not float32/float64, or ``device`` is not a device spelling.
    DeviceUnavailableError
        If CUDA is requested where torch has none.
    """
    where = get_backend(device, dtype)
    return Backend(where.torch_device, where.torch_dtype, numpy_blas=where.numpy_blas)
