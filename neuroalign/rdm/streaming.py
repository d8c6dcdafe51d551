"""The accumulation engine: read blocks of units, sum each distance's statistics, finalise once.

In memory the whole width is usually one block; a source larger than the block budget (an HDF5 layer of 400,000
units) is read in blocks of units, the next block being read on a helper thread while the current one is
multiplied (BLAS releases the GIL). Only the statistics (``n x n`` per batch entry) persist between blocks, so a
layer never sits in memory whole, and the result equals the in-memory one to float64 rounding.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import numpy as np
import torch

from neuroalign.core.sources import unit_blocks
from neuroalign.rdm.backend import Backend
from neuroalign.rdm.blocks import BlockSource
from neuroalign.rdm.distance import Distance, Stats
from neuroalign.rdm.measurements import Measurements
from neuroalign.rdm.precision import Precision
from neuroalign.rdm.unbalanced import check_counts
from neuroalign.errors import InvalidOptionError
from neuroalign.rdm.validate import Labels, check_finite
from neuroalign.utils.progress import track

#: Bytes of block-sized temporaries the engine aims for when it picks the block width itself.
BLOCK_BUDGET_BYTES = 512 * 2**20
# Block-sized arrays alive at once: the raw block, the prefetched next one, the compute-dtype tensor and up to two
# maps derived from it (shifted / centred / weighted copies).
COPIES_PER_BLOCK = 5


def block_copies(backend: Backend, view_dtype: np.dtype | None) -> int:
    """Block-sized copies alive at once when the source reads views of an array of ``view_dtype`` (None: copies).

    Views cost no memory: then neither the raw block nor the prefetched one is a copy, and on the CPU, when the
    array already has the compute dtype, neither is the tensor (:meth:`Backend.tensor` wraps it).
    """
    if view_dtype is None:
        return COPIES_PER_BLOCK
    same = backend.device.type == "cpu" and np.dtype(view_dtype) == backend.numpy_dtype
    return COPIES_PER_BLOCK - 2 - (1 if same else 0)


def choose_chunk(shape: tuple[int, int, int, int], backend: Backend, requested: int | None, *, full: bool,
                 view_dtype: np.dtype | None = None) -> int:
    """The number of units per block (all of them when ``full``: a full noise precision couples every channel).

    ``view_dtype`` is the source's (:func:`block_copies`): a source read as views fits wider blocks in the budget
    (one block for a 1000 x 10000 x 2 array of float64, whose second block cost 8% of a crossnobis RDM).

    Raises
    ------
    InvalidOptionError
        If ``chunk_units`` asks to split the channels while a full noise precision couples all of them.
    """
    b, runs, n, p = shape
    if full:
        if requested is not None and requested < p:
            raise InvalidOptionError(
                f"a full (p x p) noise precision couples all {p} channels, so they cannot be streamed in blocks of "
                f"{requested}; pass chunk_units=None, or a 1-D (diagonal) precision, which streams"
            )
        return p
    if requested is not None:
        return min(requested, p)
    itemsize = torch.finfo(backend.dtype).bits // 8
    per_unit = b * runs * n * itemsize * block_copies(backend, view_dtype)
    return int(max(1, min(p, BLOCK_BUDGET_BYTES // per_unit)))


def _read_ahead(source: BlockSource, chunk: int, progress: bool | None) -> Iterator[tuple[tuple[int, int], np.ndarray]]:
    spans = list(unit_blocks(source.shape[3], chunk))
    if len(spans) == 1:
        yield spans[0], source.read(*spans[0])
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="neuroalign-read") as pool:
        pending = pool.submit(source.read, *spans[0])
        for k, span in track(enumerate(spans), len(spans), "RDM blocks", enabled=progress):
            raw = pending.result()
            if k + 1 < len(spans):
                pending = pool.submit(source.read, *spans[k + 1])
            yield span, raw
            del raw


def accumulate(distance: Distance, source: BlockSource, precision: Precision, chunk: int, backend: Backend,
               labels: Labels, *, measurements: Measurements | None = None,
               progress: bool | None = None, finite: bool = False) -> torch.Tensor:
    """``(B, n, n)`` dissimilarities of ``source`` (before normalisation), summing statistics over unit blocks.

    Every raw block is checked for NaN/Inf (unless ``finite``: the caller has proven every value finite) and for
    the distance's own domain before it is used; ``progress``
    shows a bar over the blocks when there are several. ``measurements`` marks stimuli missing from some runs
    (see :mod:`neuroalign.rdm.measurements`): their slots are set aside before the checks, runs are averaged over
    the measured ones, and a cross-validated distance uses its unbalanced estimator.

    Raises
    ------
    InvalidOptionError
        If stimuli are missing from some runs and the cross-validated distance has no unbalanced estimator.
    NotEnoughRunsError
        If, with a cross-validated distance, a stimulus is measured in fewer than 2 runs.
    """
    unbalanced = measurements is not None and distance.cross_validated
    if unbalanced and not distance.unbalanced:
        raise InvalidOptionError(f"some stimuli are missing from some runs (NaN in every channel), and distance "
                                 f"{distance.name!r} has no estimator for unequal measurements per stimulus; keep "
                                 "only complete runs (Recording.select_runs) or use 'crossnobis' / 'poisson_cv'")
    if unbalanced:
        check_counts(measurements, labels)
    stats: Stats | None = None
    state = None
    for (start, stop), raw in _read_ahead(source, chunk, progress):
        block = backend.tensor(raw)
        del raw
        if measurements is not None:
            block = measurements.zero_missing(block)
        if not finite:
            check_finite(block, labels, start)
        if measurements is not None:
            block = measurements.impute_missing(block)
        distance.check_values(block, labels, start)
        block = distance.prepare(block)
        if state is None:
            state = distance.begin(block)
        if unbalanced:
            part = distance.unbalanced_statistics(block, measurements, precision, (start, stop), backend)
        else:
            part = distance.statistics(block, state, precision, (start, stop), backend)
        del block
        if stats is None:
            stats = part
        else:
            for key, value in part.items():
                stats[key].add_(value)
        del part
    assert stats is not None  # a source has at least one unit (checked when the inputs were built)
    if unbalanced:
        return distance.unbalanced_finalize(stats, measurements, source.shape[3], backend, labels)
    return distance.finalize(stats, state, source.shape[3], backend, labels)
