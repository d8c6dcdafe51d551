"""Dataset manifests and checksummed, cached, mirror-first file access.

- :func:`load_manifest` / :func:`list_manifests` read ``data_manifests/<id>.toml``;
  :func:`neuroalign.datasets.validate_manifests` checks them all against the registered adapters.
- :func:`fetch_dataset` / :func:`fetch_file` return verified local paths: mirror first
  (``$NEUROALIGN_DATA_MIRROR``), then the cache (``$NEUROALIGN_DATA_CACHE``), then pooch downloads unless offline
  (``$NEUROALIGN_OFFLINE``).

Every name is imported on first use (PEP 562), so that importing the package, or one light module of it, loads
no pandas, h5py or torch.
"""

from neuroalign.utils.lazy import lazy_exports
from neuroalign.utils.renamed import moved_attribute

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "neuroalign.errors.adapters": ["ChecksumMismatchError", "DamagedArchiveError", "DataFileError", "DownloadError",
                                   "ManifestError", "MissingDataError", "UnsafeArchiveError"],
    "neuroalign.data.fetch": ["fetch_dataset", "fetch_file", "file_status", "locate_file"],
    "neuroalign.data.manifest": ["Manifest", "list_manifests", "load_manifest", "manifest_dir", "read_manifest_file"],
    "neuroalign.data.settings": ["CACHE_ENV", "MIRROR_ENV", "OFFLINE_ENV"],
})
_lazy_getattr = __getattr__

#: Names that moved to a higher layer: still importable from here, with a FutureWarning naming the new home.
_MOVED = {"validate_manifests": "neuroalign.datasets"}


def __getattr__(name: str):
    """The names above on first use; ``validate_manifests``, which moved to :mod:`neuroalign.datasets` (it checks
    the registered adapters), with a FutureWarning."""
    if name in _MOVED:
        return moved_attribute(__name__, name, _MOVED[name])
    return _lazy_getattr(name)
