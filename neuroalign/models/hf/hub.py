"""Where an ``hf:`` model's files are: a local folder, or a snapshot of the Hugging Face cache (offline first).

A hub id is looked up in the local cache first (``snapshot_download(local_files_only=True)``, which reads
``refs/<revision>`` and returns ``snapshots/<commit>``), so a cached model never waits on the network and its
revision is always pinned to a commit. Only when it is not cached, and the hub may be reached (``HF_HUB_OFFLINE``
and ``TRANSFORMERS_OFFLINE`` unset), is it downloaded. Everything afterwards reads the snapshot folder: loading
makes no further hub call, whatever the environment says.

The cache directory is read from the environment *when a model is resolved* (``HF_HUB_CACHE``, else
``$HF_HOME/hub``), not only when ``huggingface_hub`` was first imported, so a script may set it late.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neuroalign.data.mirror import sha256_of
from neuroalign.errors.adapters import HubModelNotCachedError, ModelLoadError, ModelNotFoundError
from neuroalign.models.hf.ids import HFModelRef

#: File suffixes of model weights (what a local folder's fingerprint hashes).
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".gguf", ".h5", ".msgpack", ".ckpt")
#: The files of a model folder that change its outputs without touching the weights: the configuration, the
#: tokenizer and processor settings (lower-casing, normalisation, the vocabulary itself), remote code.
SETTINGS_SUFFIXES = (".json", ".txt", ".model", ".tiktoken", ".py")
_OFFLINE_VARS = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
_FILES_HASHES: dict[tuple[str, int, int], str] = {}


def offline() -> bool:
    """Whether the hub must not be reached: ``HF_HUB_OFFLINE`` / ``TRANSFORMERS_OFFLINE`` set now, or when
    ``huggingface_hub`` was imported."""
    if any(os.environ.get(v, "").lower() in ("1", "true", "yes", "on") for v in _OFFLINE_VARS):
        return True
    try:
        from huggingface_hub import constants
    except ImportError:  # pragma: no cover - transformers depends on it
        return False
    return bool(getattr(constants, "HF_HUB_OFFLINE", False))


def hub_cache_dir(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The hub cache: ``cache_dir``, else ``$HF_HUB_CACHE``, else ``$HF_HOME/hub``, else the client's default."""
    if cache_dir is not None:
        return Path(cache_dir)
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


@dataclass(frozen=True)
class HFSource:
    """The files of one ``hf:`` model and what pins them.

    Attributes
    ----------
    model_id : str
        The canonical id (``hf:ORG/NAME[@REV]`` or ``hf:/absolute/path``).
    path : Path
        The folder ``from_pretrained`` reads (the snapshot folder for a hub model).
    repo_id, revision, commit : str or None
        For a hub model: the repository, the revision asked for (``main`` by default) and the commit it resolved to.
    files_sha256 : str or None
        For a local folder: sha256 over its weight files' names and sha256s.
    settings_sha256 : str or None
        For a local folder: sha256 over its settings files' names and sha256s (:data:`SETTINGS_SUFFIXES`): a
        tokenizer edited in place changes the activations, so it must change their cache key.
    """

    model_id: str
    path: Path
    repo_id: str | None = None
    revision: str | None = None
    commit: str | None = None
    files_sha256: str | None = None
    settings_sha256: str | None = None

    @property
    def label(self) -> str:
        """What names the files on every machine: ``ORG/NAME@COMMIT``, or the folder's path."""
        return f"{self.repo_id}@{self.commit}" if self.repo_id else str(self.path)

    def provenance(self) -> dict[str, Any]:
        """The fields recorded with activations and scores (they enter the cache and results-store keys)."""
        if self.repo_id:
            return {"repo_id": self.repo_id, "revision": self.revision, "commit": self.commit}
        return {"path": str(self.path), "weights_files_sha256": self.files_sha256,
                "settings_files_sha256": self.settings_sha256}


def resolve_source(ref: HFModelRef, *, cache_dir: str | os.PathLike[str] | None = None) -> HFSource:
    """The files of ``ref``: a local folder (fingerprinted by its weights files) or a cached hub snapshot.

    Raises
    ------
    ModelNotFoundError
        For a local folder that does not exist or has no ``config.json``.
    HubModelNotCachedError
        For a hub model that is not cached while the hub must not, or cannot, be reached (says how to download it).
    ModelLoadError
        For a local folder without weight files.
    """
    if ref.local:
        folder = ref.path
        if not folder.is_dir():
            raise ModelNotFoundError(f"{ref.base_id}: no such folder {folder}")
        if not (folder / "config.json").is_file():
            raise ModelNotFoundError(f"{ref.base_id}: {folder} has no config.json, so it is not a transformers "
                                     "model folder (save one with model.save_pretrained(folder))")
        return HFSource(ref.base_id, folder, files_sha256=weights_files_sha256(folder, ref.base_id),
                        settings_sha256=_named_files_sha256(folder, _files_with(folder, SETTINGS_SUFFIXES)))
    path = _snapshot(ref, hub_cache_dir(cache_dir))
    return HFSource(ref.base_id, path, ref.repo_id, ref.revision or "main", path.name)


def _snapshot(ref: HFModelRef, cache: Path) -> Path:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        return Path(snapshot_download(ref.repo_id, revision=ref.revision, cache_dir=cache, local_files_only=True))
    except LocalEntryNotFoundError:
        if offline():
            raise HubModelNotCachedError(_not_cached(ref, cache, "the hub must not be reached (HF_HUB_OFFLINE=1 "
                                                                 "or TRANSFORMERS_OFFLINE=1)")) from None
    try:
        return Path(snapshot_download(ref.repo_id, revision=ref.revision, cache_dir=cache))
    except Exception as error:  # noqa: BLE001 - network, authentication and missing repositories all end here
        raise HubModelNotCachedError(_not_cached(ref, cache, f"downloading it failed ({type(error).__name__}: "
                                                             f"{error})")) from error


def _not_cached(ref: HFModelRef, cache: Path, why: str) -> str:
    rev = f" --revision {ref.revision}" if ref.revision else ""
    have = _cached_main(ref.repo_id, cache)
    hint = ""
    if have and ref.revision:
        hint = f" The cache has {ref.repo_id} at main = {have[:12]}, but not revision {ref.revision!r}."
        if len(ref.revision) < 40 and all(c in "0123456789abcdef" for c in ref.revision):
            hint += " A short commit hash is not resolved offline: give all 40 hex digits."
    return (f"{ref.base_id} is not in the local Hugging Face cache ({cache}), and {why}.{hint} Download it once "
            f"on a machine with network: `hf download {ref.repo_id}{rev}` (or huggingface_hub.snapshot_download"
            f"({ref.repo_id!r})) with HF_HOME pointing at the cache to use, then copy that cache here; or pass a "
            "local folder as hf:/path/to/model.")


def _cached_main(repo_id: str, cache: Path) -> str | None:
    ref = cache / "--".join(["models", *repo_id.split("/")]) / "refs" / "main"
    return ref.read_text().strip() if ref.is_file() else None


def weights_files_sha256(folder: Path, model_id: str) -> str:
    """sha256 over the names and sha256s of the weight files in ``folder`` (the hub's LFS etags).

    Hashed once per process for a file of unchanged size and modification time.

    Raises
    ------
    ModelLoadError
        If the folder has no weight files.
    """
    files = _files_with(folder, WEIGHT_SUFFIXES)
    if not files:
        raise ModelLoadError(f"{model_id}: {folder} has no weight files ({', '.join(WEIGHT_SUFFIXES)}); save the "
                             "model with model.save_pretrained(folder)")
    return _named_files_sha256(folder, files)


def _files_with(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in suffixes)


def model_files(folder: Path) -> list[Path]:
    """The files of a model folder that its fingerprint depends on, sorted: weights and settings."""
    return _files_with(folder, WEIGHT_SUFFIXES + SETTINGS_SUFFIXES)


def _named_files_sha256(folder: Path, files: list[Path]) -> str:
    """sha256 over the relative names and sha256s of ``files``."""
    h = hashlib.sha256()
    for path in files:
        h.update(f"{path.relative_to(folder).as_posix()}\0{file_sha256(path)}\n".encode())
    return h.hexdigest()


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, hashed once per process while its size and modification time stay the same."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _FILES_HASHES:
        _FILES_HASHES[key] = sha256_of(path)
    return _FILES_HASHES[key]
