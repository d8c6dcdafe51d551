"""Exception types of the data layer, defined in :mod:`neuroalign.errors.adapters` (one errors module per layer,
docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors import NeuroAlignError
from neuroalign.errors.adapters import (ChecksumMismatchError, DamagedArchiveError, DataFileError, DownloadError,
                                        ManifestError, MissingDataError, UnsafeArchiveError)

__all__ = ["ChecksumMismatchError", "DamagedArchiveError", "DataFileError", "DownloadError", "ManifestError",
           "MissingDataError", "NeuroAlignError", "UnsafeArchiveError"]
