"""The activation cache directory: look entries up by key, write new ones, list, verify, inspect and clear them.

Layout: ``<root>/<model slug>/<key>.h5`` for complete entries (sealed: every byte is checked before it is read),
``<key>.partial.h5`` while one is being written (resumable), ``<key>.lock`` to keep two writers of one entry
apart, and ``<name>.damaged`` for files that failed their check (quarantined; the entry is recomputed).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from neuroalign.cache.entries import FINAL, LOCK, PARTIAL, CacheEntry, describe, key_of
from neuroalign.errors.adapters import CacheError, DamagedCacheEntryError
from neuroalign.cache.hdf5_layout import open_activations
from neuroalign.cache.location import default_cache_dir
from neuroalign.cache.lock import exclusive_lock
from neuroalign.cache.quarantine import quarantine
from neuroalign.cache.seal import verify_seal
from neuroalign.cache.writer import PartialEntry
from neuroalign.core.activations import Activations
from neuroalign.utils.directories import writable_directory

__all__ = ["ActivationCache", "CacheEntry", "model_slug"]


def model_slug(model_id: str | None) -> str:
    """A directory-safe version of a model id."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", model_id or "unnamed").strip("._") or "unnamed"


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
        return self.root / model_slug(model_id) / f"{key}{FINAL}"

    def get(self, key: str, model_id: str | None) -> Activations | None:
        """The complete entry ``key`` as lazily read activations, or ``None`` when absent.

        The whole file is checked against its seal first; a damaged one is quarantined with a
        :class:`~neuroalign.cache.errors.DamagedCacheWarning` naming it, and ``None`` is returned (recompute).

        Raises
        ------
        DamagedCacheEntryError
            If the entry is damaged and cannot be quarantined (a read-only cache).
        """
        path = self.path_for(key, model_id)
        return self._checked(path, locked=False) if path.is_file() else None

    def _checked(self, path: Path, *, locked: bool) -> Activations | None:
        """The verified entry at ``path``; a damaged file is quarantined (``locked``: the caller holds the lock)."""
        try:
            inode = os.stat(path).st_ino
        except FileNotFoundError:
            return None
        try:
            verify_seal(path)
            return open_activations(path)
        except DamagedCacheEntryError as error:
            damaged = error
        except (OSError, KeyError, ValueError) as error:  # sealed, yet HDF5 refuses it: treated the same way
            damaged = DamagedCacheEntryError(path, f"HDF5 cannot read it ({type(error).__name__}: {error})")
        if locked:
            quarantine(damaged, expected_inode=inode, stacklevel=4)
            return None
        try:
            with exclusive_lock(path.with_name(f"{key_of(path)}{LOCK}")):
                quarantine(damaged, expected_inode=inode, stacklevel=5)
        except OSError as error:  # the lock file cannot be created: a read-only cache
            raise DamagedCacheEntryError(path, damaged.reason, f"the cache is not writable ({error.strerror}), so it "
                                                                "cannot be moved aside: delete it, or use another "
                                                                "cache directory") from error
        return None

    @contextlib.contextmanager
    def writing(self, key: str, model_id: str | None, doc: Mapping[str, Any], stimulus_ids: Sequence[str],
                layers: Sequence[str], batch_size: int) -> Iterator[PartialEntry | Activations]:
        """Hold the entry's lock and yield its :class:`PartialEntry` (new or resumed).

        If another process completed the entry while this one waited for the lock, the finished (and checked)
        :class:`Activations` are yielded instead.

        Raises
        ------
        UnwritableDirectoryError
            If the cache directory cannot be created or written; the message names it.
        """
        for name in layers:
            if "/" in name:
                raise CacheError(f"layer name {name!r} contains '/', which HDF5 reads as a group path")
        final = self.path_for(key, model_id)
        writable_directory(final.parent, "activation cache")
        with exclusive_lock(final.with_name(f"{key}{LOCK}")):
            done = self._checked(final, locked=True) if final.is_file() else None
            if done is not None:
                yield done
                return
            with PartialEntry(final.with_name(f"{key}{PARTIAL}"), key, doc, stimulus_ids, layers,
                              batch_size) as entry:
                yield entry

    # --- inspection ----------------------------------------------------------------------------------------------
    def entries(self, *, verify: bool = False) -> list[CacheEntry]:
        """Every complete, partial and damaged entry, sorted by model and key.

        Parameters
        ----------
        verify : bool
            Hash every complete file against its seal (reads all data); by default only each file's header and
            size are checked, which catches empty, truncated and unsealed files but not flipped data bytes.
        """
        found = (describe(path, verify=verify) for path in sorted(self.root.glob("*/*")))
        return sorted((e for e in found if e is not None), key=lambda e: (e.model_id or "", e.key, e.path.name))

    def verify(self) -> list[CacheEntry]:
        """Hash every complete entry, quarantine the damaged ones, and return every damaged entry found."""
        damaged = []
        for entry in self.entries(verify=True):
            if entry.state != "damaged":
                continue
            if entry.path.name.endswith(FINAL) and not entry.path.name.endswith(PARTIAL):
                with exclusive_lock(entry.lock_path):
                    quarantine(DamagedCacheEntryError(entry.path, entry.problem), warn=False)
            damaged.append(entry)
        return damaged

    def find(self, prefix: str) -> CacheEntry:
        """The single entry whose key starts with ``prefix``.

        Raises
        ------
        CacheError
            If no entry or more than one matches (a quarantined file of the same key does not count against a
            live entry).
        """
        entries = self.entries()
        matches = [e for e in entries if e.key.startswith(prefix)]
        if len({e.key for e in matches}) == 1 and sum(e.state != "damaged" for e in matches) == 1:
            matches = [e for e in matches if e.state != "damaged"]  # the live entry, not its quarantined past
        if len(matches) != 1:
            known = ", ".join(e.key[:12] for e in entries) or "none"
            what = "no entry" if not matches else f"{len(matches)} entries"
            raise CacheError(f"{what} in {self.root} with a key starting {prefix!r}; keys: {known}")
        return matches[0]

    def remove(self, entry: CacheEntry) -> None:
        """Delete one entry's file (and its lock file, once no other file of the entry is left)."""
        with exclusive_lock(entry.lock_path):
            entry.path.unlink(missing_ok=True)
        if not any(p != entry.lock_path for p in entry.path.parent.glob(f"{entry.key}.*")):
            entry.lock_path.unlink(missing_ok=True)

    def clear(self, *, model_id: str | None = None, partial_only: bool = False,
              damaged_only: bool = False) -> list[CacheEntry]:
        """Delete entries and return what was deleted.

        Parameters
        ----------
        model_id : str, optional
            Only this model's entries (damaged files by the model's folder, as their model is unreadable).
        partial_only : bool
            Only unfinished entries: partial files, damaged ones included.
        damaged_only : bool
            Only damaged and quarantined files.
        """
        removed = []
        for entry in self.entries():
            if model_id is not None and entry.model_id != model_id and not (
                    entry.model_id is None and entry.path.parent.name == model_slug(model_id)):
                continue
            if partial_only and (entry.complete or (entry.state == "damaged" and PARTIAL not in entry.path.name)):
                continue
            if damaged_only and entry.state != "damaged":
                continue
            self.remove(entry)
            removed.append(entry)
        for folder in self.root.glob("*/"):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only succeeds when empty
        return removed
