"""Memory preflight of an RDM computation: estimate its peak before allocating, refuse with the options if too big.

What an engine call holds at its peak, per group of inputs batched together (``B`` RDMs over ``n`` stimuli, ``R``
runs, ``p`` channels, ``itemsize`` bytes per value of the compute dtype):

- the ``n x n`` statistics and the temporaries of their finalisation: ``squares x B x n^2 x itemsize``, where
  ``squares`` is how many ``(B, n, n)`` tensors a distance holds at once (:attr:`Distance.working_squares`);
  this is what grows with the square of the number of stimuli and usually dominates;
- the block of units being read, its prefetched successor and the copies the distance derives from it
  (``B x R x n x chunk`` values, a few times; about 512 MB by default, see :mod:`neuroalign.rdm.streaming`;
  the block and its successor cost nothing when they are views of an in-memory array), or all ``p`` channels at
  once with a full noise precision, plus that ``p x p`` precision;
- the condensed results in float64 (``B x n(n-1)/2 x 8`` per group), held until every group is done, then
  concatenated and copied into the :class:`~neuroalign.core.rdms.RDMs` (three copies at the end, when the
  statistics are gone).

The peak is the larger of the working phase (statistics, blocks and the results so far) and the final copies.
Measured against the resident memory of real runs, the estimate is between 1 and 2 times the true peak
(``tests/rdm/test_memory_preflight.py``).

On a GPU the first two live in device memory and are checked against its free memory; the results always live
on the host. The input patterns themselves are already in memory (or streamed from disk) and are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch

from neuroalign.errors import InsufficientMemoryError
from neuroalign.rdm.backend import Backend
from neuroalign.rdm.distance import Distance
from neuroalign.rdm.streaming import block_copies, choose_chunk
from neuroalign.utils.memory import available_memory, device_memory

_GB = 1024 ** 3
#: Fraction of the available memory an RDM computation may plan to use (the rest is for everything else).
HEADROOM = 0.8
# Block-sized copies alive at once beyond the streaming engine's own: a zeroed and a shifted copy when some
# stimuli are missing from some runs.
_MISSING_BLOCK_COPIES = 2
# Copies of all condensed results at the end: the per-group pieces, their concatenation, the RDMs' own copy, and
# the RDMs' boolean Inf check (an eighth).
_RESULT_COPIES = 3.125
#: Bytes beyond the parts: BLAS and torch work buffers, index arrays, the descriptor table.
OVERHEAD = 64 * 2**20


@dataclass(frozen=True)
class GroupShape:
    """One batched group of an engine call: ``(B, R, n, p)`` and what changes its working set."""

    shape: tuple[int, int, int, int]
    full_precisions: int = 0
    missing: bool = False
    #: The dtype of the in-memory array the group's blocks are views of, or None when reading them copies.
    view_dtype: np.dtype | None = None


@dataclass(frozen=True)
class MemoryEstimate:
    """Peak bytes of an RDM computation, by part.

    Attributes
    ----------
    squares : int
        The largest group's ``n x n`` statistics and finalisation temporaries.
    blocks : int
        The largest group's block of units with its copies, and full noise precisions.
    results : int
        One copy of the condensed float64 results of all groups.
    on_device : bool
        Whether ``squares`` and ``blocks`` live on a GPU (``results`` always on the host).
    """

    squares: int
    blocks: int
    results: int
    on_device: bool

    @property
    def host_peak(self) -> int:
        """Peak bytes of host memory."""
        final = int(_RESULT_COPIES * self.results)
        return OVERHEAD + (final if self.on_device else max(self.squares + self.blocks + self.results, final))

    @property
    def device_peak(self) -> int:
        """Peak bytes on the GPU (0 for a CPU computation)."""
        return self.squares + self.blocks if self.on_device else 0

    def describe(self) -> str:
        """The parts, in GiB."""
        where = " on the GPU" if self.on_device else ""
        return (f"n x n statistics {self.squares / _GB:,.2f} GiB{where}, blocks of units {self.blocks / _GB:,.2f} "
                f"GiB{where}, condensed results {self.results / _GB:,.2f} GiB (x{_RESULT_COPIES} at the end)")


def estimate_memory(groups: Sequence[GroupShape], distance: Distance, backend: Backend,
                    chunk_units: int | None) -> MemoryEstimate:
    """The :class:`MemoryEstimate` of computing ``groups`` with ``distance`` on ``backend``."""
    itemsize = torch.finfo(backend.dtype).bits // 8
    squares = blocks = results = 0
    for group in groups:
        b, runs, n, p = group.shape
        chunk = choose_chunk(group.shape, backend, chunk_units, full=group.full_precisions > 0,
                             view_dtype=group.view_dtype)
        copies = block_copies(backend, group.view_dtype) + (_MISSING_BLOCK_COPIES if group.missing else 0)
        unbalanced = group.missing and distance.cross_validated
        squares = max(squares, int(distance.working_squares(unbalanced) * b * n * n * itemsize))
        blocks = max(blocks, copies * b * runs * n * chunk * itemsize + group.full_precisions * p * p * itemsize)
        results += b * (n * (n - 1) // 2) * 8
    return MemoryEstimate(squares, blocks, results, backend.device.type == "cuda")


def check_memory(estimate: MemoryEstimate, backend: Backend, memory_limit: int | None = None) -> None:
    """Raise :class:`InsufficientMemoryError` if the estimate does not fit in ``HEADROOM`` of what is free.

    Parameters
    ----------
    estimate : MemoryEstimate
    backend : Backend
        Where the statistics live (a GPU's free memory is checked for them, the host's for the results).
    memory_limit : int, optional
        Bytes the computation may use on the host; the available memory (the smaller of the machine's and the
        container's) when omitted.
    """
    host = memory_limit if memory_limit is not None else available_memory()
    checks = [("memory", estimate.host_peak, host)]
    if estimate.on_device:
        checks.append((f"memory on {backend.device}", estimate.device_peak, device_memory(backend.device)))
    for where, need, free in checks:
        if free is not None and need > HEADROOM * free:
            raise InsufficientMemoryError(
                f"this RDM computation needs about {need / _GB:,.2f} GiB of {where} at its peak but "
                f"{free / _GB:,.2f} GiB are free ({HEADROOM:.0%} usable): {estimate.describe()}. Options: fewer "
                "stimuli per RDM (the n x n statistics grow with the square of their number); fewer RDMs per call "
                "(select time points or layers, decimate, or pass them in several calls); dtype=torch.float32 "
                "(halves the statistics and blocks); a GPU with more free memory (device='cuda'); stream the "
                "patterns from HDF5 (a (path, dataset) pair or cache-backed Activations) with a smaller chunk_units "
                "so that only one block of units is in memory; or memory_limit= to override this estimate")
