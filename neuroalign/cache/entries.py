"""What ``neuroalign cache list`` shows: one :class:`CacheEntry` per file of the cache, damaged ones included.

A cache directory holds ``<model slug>/<key>.h5`` (complete, sealed), ``<key>.partial.h5`` (being written or
resumable), ``<key>.lock`` (not an entry) and ``<name>.damaged`` (quarantined). A complete file is described from
its seal's header alone (its data are hashed only when asked to verify); a partial file is opened with h5py.
Every file that fails is still listed, as damaged, with what is wrong, so that it can be seen and removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import h5py

from neuroalign.errors.adapters import DamagedCacheEntryError
from neuroalign.cache.hdf5_layout import FORMAT, FORMAT_VERSION, IDS, LAYERS, decode, read_doc
from neuroalign.cache.lock import held_elsewhere
from neuroalign.cache.quarantine import is_quarantined
from neuroalign.cache.seal import read_seal, verify_seal

FINAL, PARTIAL, LOCK = ".h5", ".partial.h5", ".lock"


@dataclass(frozen=True)
class CacheEntry:
    """One file of the cache, as listed by :meth:`ActivationCache.entries`.

    ``state`` is ``"complete"``, ``"partial"`` or ``"damaged"`` (then ``problem`` says why, and the fields read
    from the file are empty: ``model_id`` None, no layers, zero counts).
    """

    path: Path
    key: str
    model_id: str | None
    complete: bool
    n_stimuli: int
    n_done: int
    layers: tuple[str, ...]
    size_bytes: int
    doc: Mapping[str, Any] = field(default_factory=dict)
    state: str = "complete"
    problem: str = ""

    @property
    def lock_path(self) -> Path:
        """The lock file that keeps writers of this entry apart."""
        return self.path.with_name(f"{self.key}{LOCK}")


def key_of(path: Path) -> str:
    """The entry key a cache file name starts with."""
    return path.name.split(".", 1)[0]


def describe(path: Path, *, verify: bool = False) -> CacheEntry | None:
    """The entry of one file of the cache, or None for files that are not entries (locks, temporary files)."""
    name = path.name
    if name.startswith(".") or name.endswith(LOCK) or not path.is_file():
        return None
    if is_quarantined(path):
        return damaged_entry(path, "quarantined after failing its integrity check")
    if name.endswith(PARTIAL):
        return _partial(path)
    if name.endswith(FINAL):
        return _complete(path, verify)
    return None


def damaged_entry(path: Path, problem: str) -> CacheEntry:
    """A listing entry for a damaged file (what little is known without reading it)."""
    size = path.stat().st_size if path.exists() else 0
    return CacheEntry(path, key_of(path), None, False, 0, 0, (), size, {}, "damaged", problem)


def _complete(path: Path, verify: bool) -> CacheEntry:
    try:
        found = verify_seal(path) if verify else read_seal(path)
    except DamagedCacheEntryError as error:
        return damaged_entry(path, error.reason)
    meta = found.meta
    doc = dict(meta.get("doc", {}))
    return CacheEntry(path, str(meta.get("key", key_of(path))), doc.get("model_id"), True,
                      int(meta.get("n_stimuli", 0)), int(meta.get("n_stimuli", 0)), tuple(meta.get("layers", ())),
                      path.stat().st_size, doc)


def _partial(path: Path) -> CacheEntry:
    busy = held_elsewhere(path.with_name(f"{key_of(path)}{LOCK}"))
    try:
        # A writer holds HDF5's own lock on a file in progress; reading it without that lock is safe (read only)
        # and may see it mid-update, in which case it is listed as busy rather than damaged.
        with h5py.File(path, "r", locking=False if busy else None) as f:
            if f.attrs.get("format") != FORMAT:
                raise ValueError("not an activation cache file")
            if int(f.attrs.get("format_version", 0)) != FORMAT_VERSION:
                raise ValueError(f"cache format {f.attrs.get('format_version', 1)}, written by an older "
                                 "neuroalign without checksums; it is never resumed")
            doc = read_doc(f)
            layers = tuple(decode(f[LAYERS].attrs["order"]))
            n_done, key = int(f.attrs["n_done"]), str(f.attrs["cache_key"])
            ids = f[IDS].shape[0]
    except (OSError, KeyError, ValueError, TypeError) as error:
        if busy:
            return CacheEntry(path, key_of(path), None, False, 0, 0, (), path.stat().st_size, {}, "partial",
                              "being written by another process")
        return damaged_entry(path, f"{type(error).__name__}: {error}")
    return CacheEntry(path, key, doc.get("model_id"), False, int(doc.get("n_stimuli", ids)), n_done, layers,
                      path.stat().st_size, doc, "partial", "being written by another process" if busy else "")
