"""Write one cache entry batch by batch into a partial file, resume it after a crash, and finalise it atomically.

Invariants:

- a complete entry only ever appears under its final name, by :func:`os.replace` of a fully written and closed
  partial file, so a reader never sees a half-written entry as complete;
- rows ``[0, n_done)`` of the partial file are final: ``n_done`` advances only after a batch is written and
  flushed, so a killed process resumes at ``n_done`` and recomputes nothing twice (or anything wrongly);
- batches are cut at multiples of the batch size the entry was started with, also on resume, so a resumed entry
  is bit-identical to an uninterrupted one (a different batch could change results in the last bits).
"""

from __future__ import annotations

import os
import time
import warnings
from pathlib import Path
from typing import Any, Mapping, Sequence

import h5py
import numpy as np

from neuroalign.cache.hdf5_layout import FORMAT, IDS, LAYERS, chunk_shape, decode, string_array
from neuroalign.cache.key import canonical_json
from neuroalign.errors import NeuroAlignError

DTYPE = np.float32


class PartialEntry:
    """The partial file of one cache entry, open for appending (use as a context manager).

    Parameters
    ----------
    partial : Path
        The partial file (created, or resumed when it holds the same key).
    key : str
        The entry's content key.
    doc : mapping
        The key document, stored with the entry.
    stimulus_ids : sequence of str
        Row ids.
    layers : sequence of str
        Layer names, in order.
    batch_size : int
        Batch size for a new entry; a resumed entry keeps the one it was started with.
    """

    def __init__(self, partial: Path, key: str, doc: Mapping[str, Any], stimulus_ids: Sequence[str],
                 layers: Sequence[str], batch_size: int) -> None:
        self.path = partial
        self.key = key
        self._doc = dict(doc)
        self._ids = list(stimulus_ids)
        self._layers = list(layers)
        self._requested_batch = int(batch_size)
        self._file: h5py.File | None = None
        self._created = False
        self._start_done = 0

    # --- opening -------------------------------------------------------------------------------------------------
    def __enter__(self) -> "PartialEntry":
        self._file = self._resume() or self._create()
        self._start_done = self.n_done
        return self

    def _resume(self) -> h5py.File | None:
        if not self.path.exists():
            return None
        try:
            f = h5py.File(self.path, "a")
        except OSError as error:  # killed in the middle of a metadata write: start again, results stay exact
            warnings.warn(f"discarding unreadable partial cache file {self.path} ({error}); starting over",
                          RuntimeWarning, stacklevel=3)
            self.path.unlink()
            return None
        same = (f.attrs.get("cache_key") == self.key and decode(f[IDS][()]) == self._ids
                and int(f.attrs.get("n_done", -1)) >= 0)
        if not same:
            f.close()
            self.path.unlink()
            return None
        return f

    def _create(self) -> h5py.File:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        f = h5py.File(self.path, "w")
        f.attrs.update({"format": FORMAT, "format_version": 1, "cache_key": self.key, "n_done": 0,
                        "batch_size": self._requested_batch, "complete": False,
                        "key_doc": canonical_json(self._doc), "created": time.time()})
        if self._doc.get("model_id") is not None:
            f.attrs["model_id"] = str(self._doc["model_id"])
        f.create_dataset(IDS, data=string_array(self._ids), dtype=h5py.string_dtype("utf-8"))
        f.create_group(LAYERS).attrs["order"] = string_array(self._layers)
        f.flush()
        self._created = True
        return f

    @property
    def n_done(self) -> int:
        """Rows already final."""
        return int(self._f.attrs["n_done"])

    @property
    def batch_size(self) -> int:
        """The batch size this entry is cut into (fixed when the entry was started)."""
        return int(self._f.attrs["batch_size"])

    @property
    def _f(self) -> h5py.File:
        if self._file is None:
            raise RuntimeError("the partial entry is not open; use it as a context manager")
        return self._file

    # --- writing -------------------------------------------------------------------------------------------------
    def append(self, start: int, arrays: Mapping[str, np.ndarray]) -> None:
        """Write one batch's ``(batch, units)`` matrices at rows ``start:start+batch`` and mark them final.

        Raises
        ------
        InconsistentShapeError
            If a layer has a different number of units than in earlier batches.
        """
        if start != self.n_done:
            raise RuntimeError(f"batches must be appended in order: expected row {self.n_done}, got {start}")
        # Imported here: neuroalign.models imports the cache, so a module-level import is circular when the cache
        # is imported first.
        from neuroalign.models.shapes import check_units

        group = self._f[LAYERS]
        n = len(self._ids)
        for name in self._layers:
            block = np.asarray(arrays[name], dtype=DTYPE)
            if name not in group:
                group.create_dataset(name, shape=(n, block.shape[1]), dtype=DTYPE,
                                     chunks=chunk_shape(n, block.shape[1], self.batch_size))
            check_units(name, block, group[name].shape[1], self._ids, start)
        for name in self._layers:
            group[name][start:start + len(arrays[name])] = np.asarray(arrays[name], dtype=DTYPE)
        self._f.flush()  # data first, then the counter that declares it final
        self._f.attrs["n_done"] = start + len(arrays[self._layers[0]])
        self._f.flush()

    def finalize(self, final: Path) -> Path:
        """Close the complete partial file and rename it to ``final`` (atomically)."""
        if self.n_done != len(self._ids):
            raise RuntimeError(f"cannot finalise: {self.n_done} of {len(self._ids)} rows written")
        self._f.attrs["complete"] = True
        self._f.attrs["finished"] = time.time()
        self._f.close()
        self._file = None
        os.replace(self.path, final)
        return final

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: object) -> None:
        if self._file is None:
            return
        if exc is not None and isinstance(exc, NeuroAlignError):
            # Bad input: leave the cache as it was before this call (no new file, no advanced counter).
            if self._created:
                self._file.close()
                self._file = None
                self.path.unlink(missing_ok=True)
                return
            self._file.attrs["n_done"] = self._start_done
        self._file.close()
        self._file = None
