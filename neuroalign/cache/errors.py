"""Exception types of the activation cache, defined in :mod:`neuroalign.errors.adapters` (one errors module per
layer, docs/architecture.md); re-exported here so that imports from this module keep working."""

from neuroalign.errors import NeuroAlignError, ShapeMismatchError
from neuroalign.errors.adapters import (CacheError, CacheWriteError, DamagedCacheEntryError, DamagedCacheWarning,
                                        InconsistentShapeError)
from neuroalign.utils.atomic import FileWriteError

__all__ = ["CacheError", "CacheWriteError", "DamagedCacheEntryError", "DamagedCacheWarning", "FileWriteError",
           "InconsistentShapeError", "NeuroAlignError", "ShapeMismatchError"]
