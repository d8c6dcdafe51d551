"""What a model id's fingerprint was, kept beside the activation cache, so that a request already in the results
store is answered without importing torch or loading the weights.

A model's fingerprint hashes its weights as loaded (:meth:`~neuroalign.models.Adapter.fingerprint`): computing it
means loading the model, seconds for a request whose answer is already stored. After a model id is loaded, its
fingerprint is recorded with every weights and settings file it was read from (path, size, modification time,
sha256; settings: the configuration, tokenizer and processor files beside the weights) and what
else could change it (the versions of neuroalign, the plugin's distribution, torch and transformers). The record
answers for the id while all of that holds: a file whose size or modification time changed is hashed again, and a
different hash (or a file gone or added, or another version) makes the record useless, so the model is loaded and
the record rewritten. It is never stale; at worst it is not used.

A model whose weights files are unknown (an adapter that neither declares ``weights_files`` nor comes from a
folder or a hub snapshot) is never recorded: it is loaded, as before.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from neuroalign.models.hf.hub import WEIGHT_SUFFIXES, file_sha256, model_files
from neuroalign.plugins.catalog import get_plugin
from neuroalign.utils.atomic import atomic_path
from neuroalign.utils.canonical import canonical_json


_FORMAT = 1


def memo_dir() -> Path:
    """``model-fingerprints/`` beside the activation cache (``~/.cache/neuroalign/model-fingerprints``)."""
    from neuroalign.cache.location import default_cache_dir

    return default_cache_dir().parent / "model-fingerprints"


def _memo_path(model_ref: str) -> Path:
    return memo_dir() / f"{hashlib.sha256(model_ref.encode()).hexdigest()[:32]}.json"


def _folder_files(folder: Path) -> list[Path]:
    """The files of a model folder that its fingerprint depends on (weights and settings), resolved."""
    return sorted(p.resolve() for p in model_files(folder))


def _environment(model_ref: str) -> dict[str, str | None]:
    """The versions that could change a fingerprint without changing a weights file."""
    return dict(_versions(model_ref))


@functools.lru_cache(maxsize=64)
def _versions(model_ref: str) -> dict[str, str | None]:
    """:func:`_environment`, kept for the process: looking the versions up scans the installed distributions
    (0.1 s a model), and a package upgraded while the process runs is not the one it imported anyway."""
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    plugin = None
    try:
        record = get_plugin("model", model_ref)
        plugin = f"{record.distribution}=={record.version}"
    except Exception:  # noqa: BLE001 - not a registered id (an hf: id), or a broken plugin: no plugin version
        pass
    return {"format": str(_FORMAT), "neuroalign": installed("neuroalign"), "plugin": plugin,
            "torch": installed("torch"), "transformers": installed("transformers")}


def weights_sources(model: Any) -> tuple[list[Path], str | None] | None:
    """``(weights files, their folder or None)`` an adapter was loaded from, or None when unknown.

    An adapter may declare ``weights_files``; a HuggingFace adapter's files are those of its source folder or hub
    snapshot (or of the local folder its transformers model was loaded from).
    """
    declared = getattr(model, "weights_files", None)
    if declared:
        return sorted(Path(p).resolve() for p in declared), None
    source = getattr(model, "source", None)
    folder = getattr(source, "path", None)
    if folder is None:
        name = getattr(getattr(model, "model", None), "name_or_path", None)
        folder = name if isinstance(name, str) and name and os.path.isdir(name) else None
    if folder is None:
        return None
    files = _folder_files(Path(folder))
    has_weights = any(p.suffix in WEIGHT_SUFFIXES for p in files)
    return (files, str(Path(folder).resolve())) if has_weights else None


def remember(model_ref: str, model: Any, info: dict[str, Any]) -> bool:
    """Record ``info`` (model id, modality, fingerprint) of the loaded ``model`` for ``model_ref``.

    Returns whether a record was written (not when the weights files are unknown, or the fingerprint is not
    plain JSON). A record that cannot be written is skipped: it is a shortcut, never needed.
    """
    sources = weights_sources(model)
    if sources is None:
        return False
    files, folder = sources
    try:
        # the request key reads the fingerprint as canonical JSON: the record must give the same (tuples become
        # lists either way; anything JSON cannot hold exactly is not recorded)
        if canonical_json(json.loads(json.dumps(info))) != canonical_json(info):
            return False
        doc = {"model_ref": model_ref, "environment": _environment(model_ref), "folder": folder, "info": info,
               "files": [_file_record(p) for p in files]}
        path = _memo_path(model_ref)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            tmp.write_text(json.dumps(doc, indent=1))
    except (OSError, TypeError, ValueError):
        return False
    return True


def _file_record(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {"path": str(path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": file_sha256(path)}


def recall(model_ref: str) -> dict[str, Any] | None:
    """The recorded ``info`` of ``model_ref`` if every weights file and version still matches, else None.

    A file whose size and modification time are unchanged is trusted; one whose modification time changed but
    whose bytes hash the same keeps the record (which then notes the new time); anything else returns None.
    """
    path = _memo_path(model_ref)
    try:
        doc = json.loads(path.read_text())
        if doc.get("model_ref") != model_ref or doc.get("environment") != _environment(model_ref):
            return None
        files = doc["files"]
        if doc.get("folder") is not None and \
                [str(p) for p in _folder_files(Path(doc["folder"]))] != [f["path"] for f in files]:
            return None  # a weights or settings file was added to or removed from the folder
        touched = False
        for record in files:
            stat = os.stat(record["path"])
            if (stat.st_size, stat.st_mtime_ns) == (record["size"], record["mtime_ns"]):
                continue
            if stat.st_size != record["size"] or file_sha256(Path(record["path"])) != record["sha256"]:
                return None
            record["mtime_ns"], touched = stat.st_mtime_ns, True
        if touched:
            with atomic_path(path) as tmp:
                tmp.write_text(json.dumps(doc, indent=1))
        return doc["info"]
    except (OSError, KeyError, TypeError, ValueError):  # no record, a damaged one, or a file gone: load the model
        return None
