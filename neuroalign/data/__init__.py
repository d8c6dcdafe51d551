"""Dataset manifests and checksummed, cached, mirror-first file access.

- :func:`load_manifest` / :func:`list_manifests` read ``data_manifests/<id>.toml``;
  :func:`validate_manifests` checks them all.
- :func:`fetch_dataset` / :func:`fetch_file` return verified local paths: mirror first
  (``$NEUROALIGN_DATA_MIRROR``), then the cache (``$NEUROALIGN_DATA_CACHE``), then pooch downloads unless offline
  (``$NEUROALIGN_OFFLINE``).

Every name is imported on first use (PEP 562), so that importing the package, or one light module of it, loads
no pandas, h5py or torch.
"""

from neuroalign.utils.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "neuroalign.data.errors": ["ChecksumMismatchError", "DamagedArchiveError", "DataFileError", "DownloadError",
                               "ManifestError", "MissingDataError", "UnsafeArchiveError"],
    "neuroalign.data.fetch": ["fetch_dataset", "fetch_file", "file_status", "locate_file"],
    "neuroalign.data.manifest": ["Manifest", "list_manifests", "load_manifest", "manifest_dir", "read_manifest_file"],
    "neuroalign.data.settings": ["CACHE_ENV", "MIRROR_ENV", "OFFLINE_ENV"],
    "neuroalign.data.validate": ["validate_manifests"],
})
