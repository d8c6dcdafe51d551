"""The on-disk layout of a cache file (the same layout :meth:`Activations.to_hdf5` writes, plus cache attributes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from neuroalign.errors.adapters import DamagedCacheEntryError
from neuroalign.core.activations import Activations
from neuroalign.core.sources import HDF5Source

FORMAT = "neuroalign.activations"
#: 2: sealed complete files (see :mod:`neuroalign.cache.seal`) and per-batch digests in partial ones.
FORMAT_VERSION = 2
LAYERS = "layers"
IDS = "stimulus_ids"
DIGESTS = "batch_sha256"


def decode(values: Any) -> list[str]:
    """HDF5 strings (bytes or str) as a list of str."""
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def read_doc(f: h5py.File) -> dict[str, Any]:
    """The key document stored with an entry."""
    return json.loads(f.attrs.get("key_doc", "{}"))


class CachedLayerSource(HDF5Source):
    """A layer of a cache file; a read that fails later (the file damaged or removed since it was checked) names
    the file instead of HDF5's path-less error."""

    def read_units(self, start: int, stop: int) -> np.ndarray:
        try:
            return super().read_units(start, stop)
        except (OSError, KeyError) as error:
            raise DamagedCacheEntryError(self.path, f"reading {self.dataset!r} failed ({error})",
                                         "it changed after it was checked; run again to recompute it") from error


def open_activations(path: Path) -> Activations:
    """A complete cache file as lazily read :class:`Activations` (layers stay on disk)."""
    with h5py.File(path, "r") as f:
        ids = decode(f[IDS][()])
        order = decode(f[LAYERS].attrs["order"])
        doc = read_doc(f)
    layers = {name: CachedLayerSource(path, f"{LAYERS}/{name}") for name in order}
    descriptors = {k: v for k, v in doc.items() if k != "model_id"}
    descriptors["cache_file"] = str(path)
    return Activations(layers, ids, model_id=doc.get("model_id"), descriptors=descriptors)


def chunk_shape(n_rows: int, n_units: int, batch_size: int) -> tuple[int, int]:
    """Chunks of about 1 MiB, one batch tall: appends touch whole chunks, column reads stay cheap."""
    rows = max(1, min(n_rows, batch_size))
    return rows, max(1, min(n_units, (1 << 18) // rows))


def string_array(values: list[str]) -> np.ndarray:
    """A list of str as an HDF5-storable object array."""
    return np.array(values, dtype=object)
