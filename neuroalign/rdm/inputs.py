"""Turn what a caller passes to :func:`~neuroalign.rdm.compute_rdms` into block sources with ids and descriptors.

The accepted inputs are explicit about their axes; nothing is guessed from an array's shape:

- a :class:`~neuroalign.core.recording.Recording` (named run / time axes), or a list of them;
- an ``mne.Epochs``, converted by :mod:`neuroalign.rdm.converters` (one condition per event name);
- :class:`~neuroalign.core.activations.Activations` (one item per layer, streamed from its source);
- a :class:`~neuroalign.core.sources.LayerSource`, or a ``(path, dataset)`` pair naming an HDF5 dataset;
- a 2-D ``stimulus x channel`` array, or a list of them.

Dispatch is by type (:func:`functools.singledispatch`), one small converter per input kind.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import torch

from neuroalign.core.activations import Activations
from neuroalign.core.ids import normalize_ids, positions, require_same_ids
from neuroalign.core.recording import Recording
from neuroalign.core.sources import HDF5Source, LayerSource
from neuroalign.errors import ShapeMismatchError
from neuroalign.rdm.blocks import ArrayBlocks, BlockSource, LayerBlocks
from neuroalign.rdm.converters import as_recording
from neuroalign.rdm.measurements import missing_slots
from neuroalign.rdm.precision import check_precision
from neuroalign.errors import InvalidOptionError


@dataclass
class Item:
    """One input unit: a block source plus what the RDMs it yields are called and described by.

    ``entries`` and ``descriptors`` have one element per batch entry of the source (e.g. one per time point).
    ``missing`` is a ``(b, R, n)`` mask of the slots where a stimulus was not measured (NaN in every channel of a
    run of a recording), or None when every slot holds a measurement.
    """

    source: BlockSource
    name: str
    entries: list[str]
    descriptors: list[dict[str, Any]]
    runs: tuple[str, ...] = ("0",)
    noise: np.ndarray | None = field(default=None)
    missing: np.ndarray | None = field(default=None)
    #: Every value is known to be finite (scanned while looking for missing slots), so the engine skips its check.
    finite: bool = False

    @property
    def n_runs(self) -> int:
        """Number of runs of the source."""
        return self.source.shape[1]

    @property
    def n_units(self) -> int:
        """Number of units (channels) of the source."""
        return self.source.shape[3]


# --- stimulus ids ------------------------------------------------------------------------------------------------
def _rows_for(own_ids: Sequence[str], wanted: Sequence[str] | None, what: str) -> np.ndarray | None:
    """Positions of ``wanted`` among ``own_ids`` (None when they are the same order)."""
    if wanted is None or tuple(wanted) == tuple(own_ids):
        return None
    return positions(own_ids, wanted, source_name=what)


def _ids_for_rows(stimulus_ids: Sequence[object] | None, n_rows: int, what: str) -> tuple[str, ...]:
    if stimulus_ids is None:
        raise ShapeMismatchError(f"{what} carries no stimulus ids; pass stimulus_ids= (one per row)")
    ids = normalize_ids(stimulus_ids)
    if len(ids) != n_rows:
        raise ShapeMismatchError(f"{len(ids)} stimulus ids were given for {what} with {n_rows} rows")
    return ids


# --- converters --------------------------------------------------------------------------------------------------
@functools.singledispatch
def _items(data: Any, stimulus_ids: tuple[str, ...] | None) -> tuple[list[Item], tuple[str, ...]]:
    if isinstance(data, LayerSource):
        return _layer_source_items(data, stimulus_ids)
    converted = as_recording(data)
    if converted is not data:  # lab data (mne.Epochs): a Recording with the loader's defaults
        return _items(converted, stimulus_ids)
    raise TypeError(
        f"cannot compute RDMs from {type(data).__name__}; pass a Recording, mne.Epochs, Activations, a "
        "LayerSource, a (path, dataset) HDF5 pair, a 2-D stimulus x channel array, or a list of Recordings or 2-D "
        "arrays"
    )


def _layer_source_items(source: LayerSource, stimulus_ids: tuple[str, ...] | None) -> tuple[list[Item], tuple[str, ...]]:
    ids = _ids_for_rows(stimulus_ids, source.shape[0], f"the layer source {source!r}")
    return [Item(LayerBlocks(source), "the layer source", [""], [{}])], ids


def _array_items(data: np.ndarray, stimulus_ids: tuple[str, ...] | None, name: str, entry: str
                 ) -> tuple[list[Item], tuple[str, ...]]:
    if data.ndim != 2:
        raise ShapeMismatchError(
            f"{name} must be 2-D (stimulus x channel); got shape {data.shape}. For runs or time points wrap it in "
            "a Recording with named dims; for several RDMs pass a list of 2-D arrays"
        )
    if not (np.issubdtype(data.dtype, np.floating) or np.issubdtype(data.dtype, np.integer)
            or data.dtype == np.bool_):
        raise ShapeMismatchError(f"patterns must be numeric; {name} has dtype {data.dtype}")
    ids = _ids_for_rows(stimulus_ids, data.shape[0], name)
    return [Item(ArrayBlocks(data[None, None]), name, [entry], [{}])], ids


@_items.register
def _(data: np.ndarray, stimulus_ids: tuple[str, ...] | None) -> tuple[list[Item], tuple[str, ...]]:
    return _array_items(data, stimulus_ids, "the array", "")


@_items.register
def _(data: torch.Tensor, stimulus_ids: tuple[str, ...] | None) -> tuple[list[Item], tuple[str, ...]]:
    return _items(data.detach().cpu().numpy(), stimulus_ids)


def _recording_item(rec: Recording, rows: np.ndarray | None, name: str) -> Item:
    # (run, stimulus, channel, time) -> (time, run, stimulus, channel): time points are batch entries.
    patterns = np.moveaxis(rec.patterns(), 3, 0)
    base = rec.descriptors
    if rec.has_time:
        entries = [f"time {t}" for t in rec.times]
        descriptors = [{**base, "time": t} for t in rec.times.tolist()]
    else:
        entries, descriptors = [""], [base]
    runs = tuple(str(r) for r in rec.runs) if rec.has_runs else ("0",)
    source = ArrayBlocks(patterns, rows)
    # Only the run axis has a "not measured" mark; a whole pattern of NaN without runs is bad data.
    missing, finite = None, False
    if rec.has_runs:
        missing, finite = missing_slots(patterns if rows is None else patterns[:, :, rows])
    return Item(source, name, entries, descriptors, runs, missing=missing, finite=finite)


@_items.register
def _(data: Recording, stimulus_ids: tuple[str, ...] | None) -> tuple[list[Item], tuple[str, ...]]:
    ids = stimulus_ids or data.stimulus_ids
    return [_recording_item(data, _rows_for(data.stimulus_ids, ids, "the recording"), "the recording")], ids


@_items.register
def _(data: Activations, stimulus_ids: tuple[str, ...] | None) -> tuple[list[Item], tuple[str, ...]]:
    ids = stimulus_ids or data.stimulus_ids
    rows = _rows_for(data.stimulus_ids, ids, "the activations")
    items = [Item(LayerBlocks(data.source(layer), rows), f"layer {layer!r}", [f"layer {layer!r}"],
                  [{"model": data.model_id, "layer": layer}]) for layer in data.layer_names]
    return items, ids


@_items.register(tuple)
@_items.register(list)
def _(data: Sequence[Any], stimulus_ids: tuple[str, ...] | None) -> tuple[list[Item], tuple[str, ...]]:
    if isinstance(data, tuple) and len(data) == 2 and isinstance(data[0], (str, os.PathLike)) \
            and isinstance(data[1], str):
        return _items(HDF5Source(data[0], data[1]), stimulus_ids)
    if not data:
        raise ShapeMismatchError("an empty list has no patterns to compute RDMs from")
    data = [as_recording(d) for d in data]
    if all(isinstance(d, Recording) for d in data):
        return _recording_list(data, stimulus_ids)
    if all(isinstance(d, (np.ndarray, torch.Tensor)) for d in data):
        return _array_list(data, stimulus_ids)
    kinds = sorted({type(d).__name__ for d in data})
    raise TypeError(f"a list must hold only Recordings or only 2-D arrays; got {kinds}")


def _recording_list(data: Sequence[Recording], stimulus_ids: tuple[str, ...] | None
                    ) -> tuple[list[Item], tuple[str, ...]]:
    ids = stimulus_ids or data[0].stimulus_ids
    items = []
    for k, rec in enumerate(data):
        if stimulus_ids is None:  # without an explicit selection every recording must have the same stimuli
            require_same_ids(rec.stimulus_ids, ids, a_name=f"recording {k}", b_name="recording 0")
        item = _recording_item(rec, _rows_for(rec.stimulus_ids, ids, f"recording {k}"), f"recording {k}")
        item.entries = [f"recording {k}" + (f", {e}" if e else "") for e in item.entries]
        items.append(item)
    return items, ids


def _array_list(data: Sequence[Any], stimulus_ids: tuple[str, ...] | None) -> tuple[list[Item], tuple[str, ...]]:
    items, ids = [], None
    for k, array in enumerate(data):
        if isinstance(array, torch.Tensor):
            array = array.detach().cpu().numpy()
        (item,), ids = _array_items(array, stimulus_ids, f"array {k}", f"array {k}")
        items.append(item)
    return items, ids


# --- noise -------------------------------------------------------------------------------------------------------
def _attach_noise(items: list[Item], noise: Any) -> None:
    """Check ``noise`` (one shared array, or a list with one array or None per item) against each item."""
    if noise is None:
        return
    if isinstance(noise, (list, tuple)):
        if len(noise) != len(items):
            raise ShapeMismatchError(f"{len(noise)} noise precisions were given for {len(items)} inputs "
                                     f"({', '.join(i.name for i in items)}); give one per input or one array for all")
        per_item = list(noise)
    else:
        per_item = [noise] * len(items)
    checked: dict[tuple[int, int], np.ndarray | None] = {}
    for item, value in zip(items, per_item):
        # Check a shared array once per width and keep it one object, so that the batch shares it too.
        key = (id(value), item.n_units)
        if key not in checked:
            checked[key] = check_precision(value, item.n_units, item.name)
        item.noise = checked[key]


def build_items(data: Any, stimulus_ids: Sequence[object] | None, noise: Any
                ) -> tuple[list[Item], tuple[str, ...]]:
    """Items and their shared stimulus ids for ``data``; see the module docstring for the accepted inputs.

    Raises
    ------
    ShapeMismatchError
        For an array that is not 2-D, ids that do not match the rows, noise of the wrong size, or fewer than two
        stimuli.
    StimulusMismatchError
        For ids that a recording or activations do not have, or recordings over different stimuli.
    """
    wanted = None if stimulus_ids is None else normalize_ids(stimulus_ids)
    items, ids = _items(data, wanted)
    if len(ids) < 2:
        raise ShapeMismatchError(f"an RDM needs at least 2 stimuli; got {len(ids)}")
    if any(item.n_units < 1 for item in items):
        raise ShapeMismatchError(f"{next(i.name for i in items if i.n_units < 1)} has no channels")
    _attach_noise(items, noise)
    return items, ids


def check_chunk(chunk_units: Any) -> int | None:
    """Validate the ``chunk_units`` option (None or a positive int)."""
    if chunk_units is None:
        return None
    if isinstance(chunk_units, bool) or not isinstance(chunk_units, (int, np.integer)) or chunk_units < 1:
        raise InvalidOptionError(f"chunk_units must be a positive integer or None; got {chunk_units!r}")
    return int(chunk_units)
