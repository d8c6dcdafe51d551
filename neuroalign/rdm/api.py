"""``compute_rdms``: the one entry point of the RDM engine."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
import torch

from neuroalign.core.descriptors import descriptor_table
from neuroalign.core.distance_names import distance_label
from neuroalign.core.rdms import RDMs
from neuroalign.rdm.backend import Backend, resolve_backend
from neuroalign.rdm.blocks import Group
from neuroalign.rdm.catalog import resolve_distance
from neuroalign.rdm.distance import Distance
from neuroalign.rdm.inputs import Item, build_items, check_chunk
from neuroalign.rdm.measurements import Measurements
from neuroalign.rdm.precision import Precision
from neuroalign.rdm.preflight import GroupShape, check_memory, estimate_memory
from neuroalign.rdm.streaming import accumulate, choose_chunk
from neuroalign.rdm.validate import Labels
from neuroalign.utils.docs import fill_doc


@fill_doc
def compute_rdms(
    data: Any,
    distance: str | Distance = "correlation",
    *,
    stimulus_ids: Sequence[object] | None = None,
    noise: Any = None,
    normalize: bool = False,
    chunk_units: int | None = None,
    device: str | torch.device | None = None,
    dtype: torch.dtype = torch.float64,
    descriptors: pd.DataFrame | Mapping[str, Any] | None = None,
    progress: bool | None = None,
    memory_limit: int | None = None,
) -> RDMs:
    """Compute representational dissimilarity matrices from response patterns.

    Parameters
    ----------
    data : Recording, mne.Epochs, Activations, LayerSource, (path, dataset), ndarray, or a list of these
        The patterns. A :class:`~neuroalign.core.recording.Recording` gives one RDM per time point (a ``time``
        descriptor; batched in one product), its runs feed cross-validated distances and are averaged for the
        others, and its descriptors become RDM descriptors. A stimulus missing from a run is NaN in every channel
        of it: the others average its measured runs, cross-validated distances use the unbalanced estimator
        (:mod:`neuroalign.rdm.unbalanced`). An ``mne.Epochs`` is converted with
        :func:`neuroalign.recording_from_epochs`' defaults (one condition per event name).
        :class:`~neuroalign.core.activations.Activations` give one RDM per layer (``layer`` and ``model``
        descriptors), each streamed from the layer's source. A
        :class:`~neuroalign.core.sources.LayerSource` or a ``(path, dataset)`` HDF5 pair is streamed. A 2-D array
        is ``stimulus x channel``; a list of them gives one RDM each (batched when of equal width). Axes are
        never guessed from shapes.
    distance : str or Distance
        A registered name (see ``DISTANCES.names()`` and ``docs/distances.md``) or a configured distance object
        (e.g. ``Poisson(prior_weight=0.0)``).
    stimulus_ids : sequence, optional
        Required for arrays and layer sources (one per row). For recordings and activations, selects and orders
        the stimuli of the RDMs by id.
    noise : ndarray or list of ndarray, optional
        Noise precision for ``mahalanobis``, ``sqmahalanobis`` and ``crossnobis``: 1-D (the diagonal) or a full
        ``p x p`` matrix (see :func:`noise_precision`), shared by all inputs, or a list with one per input (layer,
        recording, array). None is the identity.
    normalize : bool
        Divide distances that are sums over channels (squared, Mahalanobis, crossnobis, Poisson) by the number of
        channels (rsatoolbox's convention); for ``euclidean`` / ``mahalanobis`` the root is taken afterwards. An
        error for correlation and cosine.
    chunk_units : int, optional
        Units per block. None picks blocks of about 512 MB of temporaries (views of an in-memory array count for
        none: one block for most in-memory data).
        The result does not depend on it beyond float rounding.
    %(device)s
        On the CPU the Gram products run in numpy's BLAS.
    dtype : torch.dtype, numpy dtype or str
        float64 (default) or float32 for the computation; RDMs are stored in float64.
    descriptors : mapping or DataFrame, optional
        Extra RDM descriptors (scalars apply to every RDM); they override generated ones of the same name.
    %(progress)s
        The bar runs over the unit blocks when there are several (a streamed layer).
    memory_limit : int, optional
        Bytes of host memory the computation may use. Before anything is allocated, its peak is estimated (the
        ``n x n`` statistics, a block of units, the results; see :mod:`neuroalign.rdm.preflight`) and checked
        against 80% of this, by default of the available memory (and of a GPU's free memory for ``device="cuda"``).

    Returns
    -------
    RDMs
        One RDM per input entry, in input order, with ``distance`` set to the distance's name, followed by
        ``" (normalized)"`` with ``normalize=True`` (:mod:`neuroalign.core.distance_names`).

    Raises
    ------
    InvalidPatternsError
        NaN/Inf in the patterns, or values outside the distance's domain (negative Poisson rates).
    DegeneratePatternError
        A constant pattern under correlation, an all-zero pattern under cosine.
    NotEnoughRunsError
        Fewer than two runs for a cross-validated distance, or a stimulus measured in fewer than two runs.
    InsufficientMemoryError
        The estimated peak does not fit (the message lists the parts and the options: fewer stimuli or RDMs per
        call, float32, a GPU, streaming from HDF5).
    ShapeMismatchError
        Ids versus rows, noise size versus channels, arrays that are not 2-D.
    UnknownNameError
        An unknown distance name (close matches are suggested).
    InvalidOptionError
        Options that do not apply (``normalize`` for correlation, noise for a distance without one), a ``device``
        or ``dtype`` that is none; :class:`~neuroalign.errors.DeviceUnavailableError` for CUDA without a GPU.

    Examples
    --------
    >>> import numpy as np
    >>> rdms = compute_rdms(np.eye(3), "sqeuclidean", stimulus_ids=["a", "b", "c"])
    >>> rdms.dissimilarities
    array([[2., 2., 2.]])
    """
    dist = resolve_distance(distance)
    backend = resolve_backend(device, dtype)
    dist.check_options(noise_given=noise is not None, normalize=normalize)
    chunk = check_chunk(chunk_units)
    items, ids = build_items(data, stimulus_ids, noise)
    for item in items:
        dist.check_runs(item.n_runs, item.name)
    groups = _groups(items)
    needed = estimate_memory([_group_shape([items[k] for k in members]) for members in groups], dist, backend,
                             chunk)
    check_memory(needed, backend, memory_limit)
    pieces: list[np.ndarray | None] = [None] * len(items)
    with backend.running():
        for members in groups:
            values = _group_rdms(dist, [items[k] for k in members], ids, chunk, normalize, backend, progress)
            offset = 0
            for k in members:
                size = items[k].source.shape[0]
                pieces[k] = values[offset:offset + size]
                offset += size
    table = pd.DataFrame([row for item in items for row in item.descriptors])
    if descriptors is not None:
        extra = descriptor_table(descriptors, len(table), what="RDM")
        for column in extra.columns:
            table[column] = extra[column].to_numpy()
    return RDMs.from_condensed(np.concatenate(pieces, axis=0), ids, descriptors=table if len(table.columns) else None,
                               distance=distance_label(dist.name, normalize))


def _groups(items: list[Item]) -> list[list[int]]:
    """Indices of items that can share one batched product (same runs, stimuli and units)."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for k, item in enumerate(items):
        groups.setdefault((*item.source.shape[1:], item.runs), []).append(k)
    return list(groups.values())


def _group_shape(members: list[Item]) -> GroupShape:
    """What the memory preflight needs to know about a group of items batched together."""
    full = {id(item.noise) for item in members if item.noise is not None and item.noise.ndim == 2}
    b = sum(item.source.shape[0] for item in members)
    return GroupShape((b, *members[0].source.shape[1:]), len(full), any(i.missing is not None for i in members),
                      Group([item.source for item in members]).view_dtype)


def _group_rdms(dist: Distance, members: list[Item], ids: tuple[str, ...], chunk: int | None, normalize: bool,
                backend: Backend, progress: bool | None = None) -> np.ndarray:
    """Condensed ``(B, n_pairs)`` float64 dissimilarities of items batched together."""
    source = Group([item.source for item in members])
    labels = Labels(ids, [e for item in members for e in item.entries], members[0].runs)
    precision = Precision.stack([item.noise for item in members for _ in item.entries], backend)
    measurements = Measurements.from_masks([item.missing for item in members],
                                           [item.source.shape[:3] for item in members], labels, backend)
    n_units = source.shape[3]
    chunk = choose_chunk(source.shape, backend, chunk, full=precision.is_full, view_dtype=source.view_dtype)
    values = accumulate(dist, source, precision, chunk, backend, labels, measurements=measurements,
                        progress=progress, finite=all(item.finite for item in members))
    if normalize:
        values.div_(n_units)
    return condensed(dist.output(values))


#: Bytes of square rows copied from a GPU to the host at a time while condensing.
_ROWS_BYTES = 64 * 2**20


def condensed(values: torch.Tensor) -> np.ndarray:
    """The strict upper triangles of ``(B, n, n)`` matrices as ``(B, n(n-1)/2)`` float64, in scipy's order.

    Row by row into the result: boolean-mask indexing would build two int64 indices per pair (four times the
    float64 result) and, in float32, a float64 copy of the whole triangle.
    """
    b, n, _ = values.shape
    out = np.empty((b, n * (n - 1) // 2), dtype=np.float64)
    step = max(1, _ROWS_BYTES // max(1, b * n * values.element_size()))
    offset = 0
    for start in range(0, n - 1, step):
        rows = values[:, start:start + step].cpu().numpy()  # a view on the CPU, a bounded copy from a GPU
        for k in range(rows.shape[1]):
            i = start + k
            if i >= n - 1:
                break
            out[:, offset:offset + n - 1 - i] = rows[:, k, i + 1:]
            offset += n - 1 - i
    return out
