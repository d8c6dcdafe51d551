"""Write one cache entry batch by batch into a partial file, resume it after a crash, and finalise it atomically.

Invariants:

- a complete entry only ever appears under its final name, by :func:`os.replace` of a fully written, closed and
  sealed partial file (:mod:`neuroalign.cache.seal`), so a reader never sees a half-written entry as complete and
  every byte of a complete one is checked before it is read;
- rows ``[0, n_done)`` of the partial file are final: ``n_done`` advances only after a batch and its sha256 are
  written and flushed, so a killed process resumes at ``n_done`` and recomputes nothing twice (or anything
  wrongly). A resumed file's batches are checked against their digests and copied into a fresh partial file that
  replaces it: a process killed while HDF5 was flushing can leave a file whose rows read back intact but whose
  allocation records are stale (appending to it fails with "addr overflow"). A file that fails its checks
  (flipped bytes, truncated, a missing dataset, unreadable by HDF5) is quarantined and started over;
- batches are cut at multiples of the batch size the entry was started with, also on resume, so a resumed entry
  is bit-identical to an uninterrupted one (a different batch could change results in the last bits).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path
from typing import Any, Mapping, Sequence

import h5py
import numpy as np

from neuroalign.errors.adapters import CacheWriteError, DamagedCacheEntryError
from neuroalign.cache.shapes import check_units
from neuroalign.cache.hdf5_layout import DIGESTS, FORMAT, FORMAT_VERSION, IDS, LAYERS, chunk_shape, decode, string_array
from neuroalign.cache.key import canonical_json
from neuroalign.cache.quarantine import quarantine
from neuroalign.cache.seal import seal, userblock_size
from neuroalign.errors import NeuroAlignError

DTYPE = np.float32


def batch_digest(blocks: Sequence[np.ndarray]) -> bytes:
    """The sha256 (hex, as bytes) of one batch: every layer's float32 rows, in layer order, with their shapes."""
    digest = hashlib.sha256()
    for block in blocks:
        block = np.ascontiguousarray(block, dtype=DTYPE)
        digest.update(repr(block.shape).encode())
        digest.update(block.tobytes())
    return digest.hexdigest().encode()


class PartialEntry:
    """The partial file of one cache entry, open for appending (use as a context manager).

    Parameters
    ----------
    partial : Path
        The partial file (created, or resumed when it holds the same key and passes its checks).
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
        self._meta = {"key": key, "doc": self._doc, "layers": self._layers, "n_stimuli": len(self._ids),
                      "format_version": FORMAT_VERSION}
        self._userblock = userblock_size(self._meta)
        self._file: h5py.File | None = None
        self._created = False
        self._start_done = 0

    # --- opening -------------------------------------------------------------------------------------------------
    def __enter__(self) -> "PartialEntry":
        self._file = self._resume()
        if self._file is None:
            self._file, self._created = self._create(self.path, self._requested_batch), True
        self._start_done = self.n_done
        return self

    def _resume(self) -> h5py.File | None:
        """The checked rows of an earlier partial file, in a fresh file that replaced it; None to start over."""
        if not self.path.exists():
            return None
        try:
            old = h5py.File(self.path, "r")
        except OSError as error:  # killed in the middle of a metadata write, truncated, empty: start again
            quarantine(DamagedCacheEntryError(self.path, f"HDF5 cannot open it ({error})"), stacklevel=4)
            return None
        try:
            with old:
                done, size = self._check(old)
                return self._rewrite(old, done, size) if done else None
        except CacheWriteError:
            raise
        except (DamagedCacheEntryError, KeyError, OSError, RuntimeError, ValueError, TypeError) as error:
            damaged = error if isinstance(error, DamagedCacheEntryError) else DamagedCacheEntryError(
                self.path, f"{type(error).__name__}: {error}")
            quarantine(damaged, stacklevel=4)
            return None

    def _check(self, f: h5py.File) -> tuple[int, int]:
        """``(n_done, batch_size)`` of ``f`` if it is this entry's partial file with intact batches.

        Raises
        ------
        DamagedCacheEntryError
            Otherwise, saying what is wrong.
        """
        def damaged(reason: str) -> DamagedCacheEntryError:
            return DamagedCacheEntryError(self.path, reason)

        if f.attrs.get("format") != FORMAT or int(f.attrs.get("format_version", 0)) != FORMAT_VERSION:
            raise damaged("not a partial cache file of this format")
        if f.attrs.get("cache_key") != self.key or f.userblock_size < self._userblock:
            raise damaged("it belongs to another cache entry")
        if IDS not in f or decode(f[IDS][()]) != self._ids:
            raise damaged(f"its {IDS!r} dataset is missing or holds other stimulus ids")
        n, done, size = len(self._ids), int(f.attrs["n_done"]), int(f.attrs["batch_size"])
        if not (0 <= done <= n and size >= 1) or DIGESTS not in f or f[DIGESTS].shape != (-(-n // size),):
            raise damaged(f"inconsistent progress (n_done={done}, batch_size={size}) or no batch digests")
        if decode(f[LAYERS].attrs["order"]) != self._layers:
            raise damaged("its layers differ from the entry's")
        self._check_batches(f, done, size)
        return done, size

    def _check_batches(self, f: h5py.File, done: int, size: int) -> None:
        """Raise :class:`DamagedCacheEntryError` unless rows ``[0, done)`` match the digests written with them."""
        for batch, start in enumerate(range(0, done, size)):
            blocks = self._rows(f, start, min(start + size, len(self._ids)))
            if batch_digest(blocks) != bytes(f[DIGESTS][batch]):
                raise DamagedCacheEntryError(self.path, f"rows {start}-{start + len(blocks[0]) - 1} differ from what "
                                                        "was written (sha256 mismatch)")

    def _rows(self, f: h5py.File, start: int, stop: int) -> list[np.ndarray]:
        return [f[LAYERS][name][start:stop] for name in self._layers]

    def _rewrite(self, old: h5py.File, done: int, size: int) -> h5py.File:
        """Copy the checked rows ``[0, done)`` of ``old`` into a fresh file that then replaces it."""
        fresh = self.path.with_name(self.path.name.replace(".partial.", ".resuming.partial."))
        new = self._create(fresh, size)
        try:
            for start in range(0, done, size):
                self._write(new, start, self._rows(old, start, min(start + size, done)))
            os.replace(fresh, self.path)  # the open handle follows the file
        except BaseException:
            new.close()
            fresh.unlink(missing_ok=True)
            raise
        return new

    def _create(self, path: Path, batch_size: int) -> h5py.File:
        try:
            f = h5py.File(path, "w", userblock_size=self._userblock)
        except OSError as error:
            raise CacheWriteError(f"cannot create the activation cache file {path} ({error})") from error
        try:
            f.attrs.update({"format": FORMAT, "format_version": FORMAT_VERSION, "cache_key": self.key, "n_done": 0,
                            "batch_size": batch_size, "complete": False,
                            "key_doc": canonical_json(self._doc), "created": time.time()})
            if self._doc.get("model_id") is not None:
                f.attrs["model_id"] = str(self._doc["model_id"])
            f.create_dataset(IDS, data=string_array(self._ids), dtype=h5py.string_dtype("utf-8"))
            f.create_dataset(DIGESTS, shape=(-(-len(self._ids) // batch_size),), dtype="S64")
            f.create_group(LAYERS).attrs["order"] = string_array(self._layers)
            f.flush()
        except OSError as error:
            f.close()
            path.unlink(missing_ok=True)
            raise CacheWriteError(f"cannot create the activation cache file {path} ({error})") from error
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
        CacheWriteError
            If the file cannot be written (disk full, I/O error); the message names it.
        """
        if start != self.n_done:
            raise RuntimeError(f"batches must be appended in order: expected row {self.n_done}, got {start}")
        group = self._f[LAYERS]
        blocks = [np.asarray(arrays[name], dtype=DTYPE) for name in self._layers]
        for name, block in zip(self._layers, blocks):
            check_units(name, block, group[name].shape[1] if name in group else block.shape[1], self._ids, start)
        self._check_space(sum(b.nbytes for b in blocks), start)
        self._write(self._f, start, blocks)

    def _write(self, f: h5py.File, start: int, blocks: Sequence[np.ndarray]) -> None:
        """Write rows ``start:start+len(blocks[0])`` of every layer and their digest, then advance ``n_done``."""
        group, n, size = f[LAYERS], len(self._ids), int(f.attrs["batch_size"])
        stop = start + len(blocks[0])
        failure = None
        try:
            for name, block in zip(self._layers, blocks):
                if name not in group:
                    group.create_dataset(name, shape=(n, block.shape[1]), dtype=DTYPE,
                                         chunks=chunk_shape(n, block.shape[1], size))
                dataset = group[name]
                dataset[start:stop] = block
                # Flushed while the handle is ours: h5py flushes a dataset's chunk cache when the handle is
                # garbage-collected and only prints the errors there, so a full disk would lose rows silently.
                dataset.flush()
            f[DIGESTS][start // size] = batch_digest(blocks)
            f.flush()  # data and digest first, then the counter that declares them final
            f.attrs["n_done"] = stop
            f.flush()
        except (OSError, RuntimeError) as error:  # HDF5 reports a failed write(2) as either
            failure = str(error).split("\n")[0]
        if failure is not None:
            # Raised outside the handler, with HDF5's traceback dropped: its frames hold dataset handles, and
            # HDF5 can crash when those are released after the file was closed in this state.
            raise CacheWriteError(f"writing rows {start}-{stop - 1} to the activation cache file {self.path} "
                                  f"failed ({failure}); is the disk full?")

    def _check_space(self, nbytes: int, start: int) -> None:
        # Checked before HDF5 writes anything: HDF5 (2.0, through h5py) can crash the process when it closes a file
        # after a write failed for lack of space, so running out must be noticed here, with the file consistent.
        free = shutil.disk_usage(self.path.parent).free
        need = nbytes + nbytes // 10 + (256 << 10)  # the rows, the chunk index and metadata, with room to spare
        if free < need:
            kept = f"rows 0-{start - 1} are kept and resume" if start else "nothing was written yet"
            raise CacheWriteError(f"the disk holding the activation cache file {self.path} has {free} bytes free and "
                                  f"the next batch needs about {need}: free some space or choose another cache "
                                  f"directory, then run again ({kept})")

    def finalize(self, final: Path) -> Path:
        """Close the complete partial file, seal it and rename it to ``final`` (atomically)."""
        if self.n_done != len(self._ids):
            raise RuntimeError(f"cannot finalise: {self.n_done} of {len(self._ids)} rows written")
        try:
            self._f.attrs["complete"] = True
            self._f.attrs["finished"] = time.time()
            self._f.close()
            self._file = None
            with h5py.File(self.path, "r") as f:  # what reached the file is what was computed, batch by batch
                self._check_batches(f, len(self._ids), int(f.attrs["batch_size"]))
            seal(self.path, self._meta, self._userblock)
            os.replace(self.path, final)
        except (OSError, RuntimeError, KeyError, DamagedCacheEntryError) as error:
            raise CacheWriteError(f"finishing the activation cache file {self.path} failed ({error}); is the disk "
                                  "full? The entry is recomputed next time") from error
        return final

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: object) -> None:
        if self._file is None:
            return
        file, self._file = self._file, None
        try:
            if exc is not None and isinstance(exc, NeuroAlignError) and not isinstance(exc, CacheWriteError):
                # Bad input: leave the cache as it was before this call (no new file, no advanced counter).
                if self._created:
                    file.close()
                    self.path.unlink(missing_ok=True)
                    return
                file.attrs["n_done"] = self._start_done
        finally:
            if file.id.valid:
                try:
                    file.close()
                except (OSError, RuntimeError):
                    pass  # the error being raised says what went wrong; a failed close must not hide it
