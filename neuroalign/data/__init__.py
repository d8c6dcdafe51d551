"""Dataset manifests and checksummed, cached, mirror-first file access.

- :func:`load_manifest` / :func:`list_manifests` read ``data_manifests/<id>.toml``;
  :func:`neuroalign.datasets.validate_manifests` checks them all against the registered adapters.
- :func:`fetch_dataset` / :func:`fetch_file` return verified local paths: mirror first
  (``$NEUROALIGN_DATA_MIRROR``), then the cache (``$NEUROALIGN_DATA_CACHE``), then pooch downloads unless offline
  (``$NEUROALIGN_OFFLINE``).
"""

from neuroalign.data.errors import (ChecksumMismatchError, DamagedArchiveError, DataFileError, DownloadError,
                                    ManifestError, MissingDataError, UnsafeArchiveError)
from neuroalign.data.fetch import fetch_dataset, fetch_file, file_status, locate_file
from neuroalign.data.manifest import Manifest, list_manifests, load_manifest, manifest_dir, read_manifest_file
from neuroalign.data.settings import CACHE_ENV, MIRROR_ENV, OFFLINE_ENV
from neuroalign.utils.renamed import moved_attribute

#: Names that moved to a higher layer: still importable from here, with a FutureWarning naming the new home.
_MOVED = {"validate_manifests": "neuroalign.datasets"}


def __getattr__(name: str):
    """``validate_manifests``, which moved to :mod:`neuroalign.datasets` (it checks the registered adapters)."""
    if name in _MOVED:
        return moved_attribute(__name__, name, _MOVED[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["CACHE_ENV", "ChecksumMismatchError", "DamagedArchiveError", "DataFileError", "DownloadError",
           "MIRROR_ENV", "Manifest", "ManifestError", "MissingDataError", "OFFLINE_ENV", "UnsafeArchiveError",
           "fetch_dataset", "fetch_file", "file_status", "list_manifests", "load_manifest", "locate_file",
           "manifest_dir", "read_manifest_file"]
