"""The :class:`Activations` container: per-layer ``stimulus x unit`` feature matrices of one model."""

from __future__ import annotations

import os
from typing import Any, Iterator, Mapping, Sequence

import h5py
import numpy as np

from neuroalign.core.ids import normalize_ids
from neuroalign.core.sources import ArraySource, HDF5Source, LayerSource, unit_blocks
from neuroalign.errors import DataFormatError, ShapeMismatchError
from neuroalign.registry import unknown_name_error
from neuroalign.utils.atomic import atomic_path
from neuroalign.utils.readers import open_hdf5

_FORMAT = "neuroalign.activations"


class Activations:
    """Feature matrices of one model for a set of stimuli, one per layer.

    A layer may live in memory or in an HDF5 dataset (:class:`~neuroalign.core.sources.HDF5Source`); engines read
    it through :meth:`source` in blocks of units, so a layer larger than memory is never loaded whole.

    Parameters
    ----------
    layers : mapping of str to array or LayerSource
        Layer name -> ``(n_stimuli, n_units)`` matrix. Layer order is kept.
    stimulus_ids : sequence
        Ids of the rows, shared by every layer.
    model_id : str, optional
        The model these activations came from.
    descriptors : mapping, optional
        Facts about the extraction (pooling, weights hash, ...).
    """

    def __init__(
        self,
        layers: Mapping[str, Any],
        stimulus_ids: Sequence[object],
        *,
        model_id: str | None = None,
        descriptors: Mapping[str, Any] | None = None,
    ) -> None:
        if not layers:
            raise ShapeMismatchError("Activations need at least one layer")
        self._ids = normalize_ids(stimulus_ids)
        self._sources: dict[str, LayerSource] = {}
        for name, layer in layers.items():
            source = layer if isinstance(layer, LayerSource) else ArraySource(np.asarray(layer))
            if source.shape[0] != len(self._ids):
                raise ShapeMismatchError(
                    f"layer {name!r} has {source.shape[0]} rows but there are {len(self._ids)} stimulus ids"
                )
            self._sources[str(name)] = source
        self.model_id = model_id
        self._descriptors = dict(descriptors or {})

    @property
    def stimulus_ids(self) -> tuple[str, ...]:
        """Row ids, shared by every layer."""
        return self._ids

    @property
    def layer_names(self) -> tuple[str, ...]:
        """Layer names in order."""
        return tuple(self._sources)

    @property
    def descriptors(self) -> dict[str, Any]:
        """A copy of the extraction descriptors."""
        return dict(self._descriptors)

    def __len__(self) -> int:
        return len(self._sources)

    def __repr__(self) -> str:
        layers = ", ".join(f"{k}={s.shape[1]}" for k, s in self._sources.items())
        return f"<Activations model={self.model_id!r}, {len(self._ids)} stimuli, units per layer: {layers}>"

    def _source_of(self, layer: str) -> LayerSource:
        if layer not in self._sources:
            raise unknown_name_error("layer", layer, self._sources)
        return self._sources[layer]

    def source(self, layer: str) -> LayerSource:
        """The :class:`LayerSource` of ``layer`` (read it in blocks of units)."""
        return self._source_of(layer)

    def n_units(self, layer: str) -> int:
        """Number of units of ``layer``."""
        return self._source_of(layer).shape[1]

    def layer(self, layer: str) -> np.ndarray:
        """Load ``layer`` whole into memory as an ``(n_stimuli, n_units)`` array."""
        source = self._source_of(layer)
        return np.asarray(source.read_units(0, source.shape[1]))

    def iter_unit_blocks(self, layer: str, block: int) -> Iterator[np.ndarray]:
        """Yield ``layer`` as consecutive ``(n_stimuli, <=block)`` column blocks."""
        source = self._source_of(layer)
        for start, stop in unit_blocks(source.shape[1], block):
            yield np.asarray(source.read_units(start, stop))

    def select_layers(self, layers: Sequence[str]) -> "Activations":
        """A new container with only ``layers`` (in the order given)."""
        return Activations({name: self._source_of(name) for name in layers}, self._ids,
                           model_id=self.model_id, descriptors=self._descriptors)

    # --- HDF5 ----------------------------------------------------------------------------------------------------
    def to_hdf5(self, path: str | os.PathLike[str], *, block: int = 4096) -> None:
        """Write every layer to one HDF5 file, atomically, copying block by block (bounded memory)."""
        with atomic_path(path) as tmp:
            with h5py.File(tmp, "w") as f:
                f.attrs["format"] = _FORMAT
                f.attrs["format_version"] = 1
                if self.model_id is not None:
                    f.attrs["model_id"] = self.model_id
                f.create_dataset("stimulus_ids", data=np.array(self._ids, dtype=object),
                                 dtype=h5py.string_dtype("utf-8"))
                group = f.create_group("layers")
                group.attrs["order"] = np.array(self.layer_names, dtype=object)
                for name, source in self._sources.items():
                    n, units = source.shape
                    ds = group.create_dataset(name, shape=(n, units), dtype=source.dtype,
                                              chunks=(n, max(1, min(units, max(1, 2**20 // max(n, 1))))))
                    for start, stop in unit_blocks(units, block):
                        ds[:, start:stop] = source.read_units(start, stop)

    @classmethod
    def from_hdf5(cls, path: str | os.PathLike[str]) -> "Activations":
        """Open a file written by :meth:`to_hdf5`; layers stay on disk and are read lazily.

        Raises
        ------
        DataFormatError
            For a file that is not HDF5 or not a neuroalign activations file (the message names it).
        """
        with open_hdf5(path, "a neuroalign activations file") as f:
            if f.attrs.get("format") != _FORMAT:
                raise DataFormatError(path, "format", f"is not a neuroalign activations file (no format={_FORMAT!r} "
                                                      "attribute); files from other tools are read by "
                                                      "neuroalign.models.precomputed.PrecomputedAdapter")
            if "stimulus_ids" not in f or "layers" not in f or "order" not in f["layers"].attrs:
                raise DataFormatError(path, "stimulus_ids", f"the file misses its stimulus ids or layer list; it "
                                                            f"holds {sorted(f)}")
            ids = [s.decode() if isinstance(s, bytes) else s for s in f["stimulus_ids"][()]]
            order = [s.decode() if isinstance(s, bytes) else s for s in f["layers"].attrs["order"]]
            model_id = f.attrs.get("model_id")
        layers = {name: HDF5Source(path, f"layers/{name}") for name in order}
        return cls(layers, ids, model_id=None if model_id is None else str(model_id))
