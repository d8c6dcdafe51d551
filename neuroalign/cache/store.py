"""The activation cache directory: look entries up by key, write new ones, list, inspect and clear them.

Layout: ``<root>/<model slug>/<key>.h5`` for complete entries, ``<key>.partial.h5`` while one is being written
(resumable), ``<key>.lock`` to keep two writers of one entry apart.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import h5py

from neuroalign.cache.errors import CacheError
from neuroalign.cache.hdf5_layout import FORMAT, LAYERS, decode, open_activations, read_doc
from neuroalign.cache.location import default_cache_dir
from neuroalign.cache.lock import exclusive_lock
from neuroalign.cache.writer import PartialEntry
from neuroalign.core.activations import Activations

_FINAL, _PARTIAL, _LOCK = ".h5", ".partial.h5", ".lock"


def model_slug(model_id: str | None) -> str:
    """A directory-safe version of a model id."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", model_id or "unnamed").strip("._") or "unnamed"


@dataclass(frozen=True)
class CacheEntry:
    """One file of the cache, as listed by :meth:`ActivationCache.entries`."""

    path: Path
    key: str
    model_id: str | None
    complete: bool
    n_stimuli: int
    n_done: int
    layers: tuple[str, ...]
    size_bytes: int
    doc: Mapping[str, Any]


class ActivationCache:
    """A directory of cached activations.

    Parameters
    ----------
    root : path-like, optional
        The cache directory; :func:`~neuroalign.cache.default_cache_dir` when omitted.
    """

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()

    def __repr__(self) -> str:
        return f"ActivationCache({str(self.root)!r})"

    def path_for(self, key: str, model_id: str | None) -> Path:
        """The final path of the entry ``key``."""
        return self.root / model_slug(model_id) / f"{key}{_FINAL}"

    def get(self, key: str, model_id: str | None) -> Activations | None:
        """The complete entry ``key`` as lazily read activations, or ``None`` when absent."""
        path = self.path_for(key, model_id)
        return open_activations(path) if path.is_file() else None

    @contextlib.contextmanager
    def writing(self, key: str, model_id: str | None, doc: Mapping[str, Any], stimulus_ids: Sequence[str],
                layers: Sequence[str], batch_size: int) -> Iterator[PartialEntry | Activations]:
        """Hold the entry's lock and yield its :class:`PartialEntry` (new or resumed).

        If another process completed the entry while this one waited for the lock, the finished
        :class:`Activations` are yielded instead.
        """
        for name in layers:
            if "/" in name:
                raise CacheError(f"layer name {name!r} contains '/', which HDF5 reads as a group path")
        final = self.path_for(key, model_id)
        with exclusive_lock(final.with_name(f"{key}{_LOCK}")):
            if final.is_file():
                yield open_activations(final)
                return
            with PartialEntry(final.with_name(f"{key}{_PARTIAL}"), key, doc, stimulus_ids, layers,
                              batch_size) as entry:
                yield entry

    # --- inspection ----------------------------------------------------------------------------------------------
    def entries(self) -> list[CacheEntry]:
        """Every complete and partial entry, sorted by model and key; unreadable files are skipped."""
        out = []
        for path in sorted(self.root.glob(f"*/*{_FINAL}")):
            entry = _describe(path)
            if entry is not None:
                out.append(entry)
        return sorted(out, key=lambda e: (e.model_id or "", e.key))

    def find(self, prefix: str) -> CacheEntry:
        """The single entry whose key starts with ``prefix``.

        Raises
        ------
        CacheError
            If no entry or more than one matches.
        """
        matches = [e for e in self.entries() if e.key.startswith(prefix)]
        if len(matches) != 1:
            known = ", ".join(e.key[:12] for e in self.entries()) or "none"
            what = "no entry" if not matches else f"{len(matches)} entries"
            raise CacheError(f"{what} in {self.root} with a key starting {prefix!r}; keys: {known}")
        return matches[0]

    def remove(self, entry: CacheEntry) -> None:
        """Delete one entry (and its lock file)."""
        with exclusive_lock(entry.path.with_name(f"{entry.key}{_LOCK}")):
            entry.path.unlink(missing_ok=True)
        entry.path.with_name(f"{entry.key}{_LOCK}").unlink(missing_ok=True)

    def clear(self, *, model_id: str | None = None, partial_only: bool = False) -> list[CacheEntry]:
        """Delete entries (of one model, or partial ones only) and return what was deleted."""
        removed = []
        for entry in self.entries():
            if model_id is not None and entry.model_id != model_id:
                continue
            if partial_only and entry.complete:
                continue
            self.remove(entry)
            removed.append(entry)
        for folder in self.root.glob("*/"):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only succeeds when empty
        return removed


def _describe(path: Path) -> CacheEntry | None:
    try:
        with h5py.File(path, "r") as f:
            if f.attrs.get("format") != FORMAT or "cache_key" not in f.attrs:
                return None
            doc = read_doc(f)
            layers = tuple(decode(f[LAYERS].attrs["order"]))
            return CacheEntry(path=path, key=str(f.attrs["cache_key"]), model_id=doc.get("model_id"),
                              complete=bool(f.attrs.get("complete", False)) and not path.name.endswith(_PARTIAL),
                              n_stimuli=int(doc.get("n_stimuli", 0)), n_done=int(f.attrs.get("n_done", 0)),
                              layers=layers, size_bytes=path.stat().st_size, doc=doc)
    except OSError:  # a partial file being written right now, or a damaged one
        return None
