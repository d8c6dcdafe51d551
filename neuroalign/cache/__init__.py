"""The activation cache: one HDF5 file per model and stimulus set, keyed by a content hash, written batch by batch.

>>> from neuroalign.cache import ActivationCache
>>> cache = ActivationCache("/tmp/acts")          # doctest: +SKIP
>>> [e.model_id for e in cache.entries()]          # doctest: +SKIP
"""

from neuroalign.cache.entries import CacheEntry
from neuroalign.cache.errors import CacheError, CacheWriteError, DamagedCacheEntryError, DamagedCacheWarning
from neuroalign.cache.key import cache_key, digest_sequence
from neuroalign.cache.location import default_cache_dir
from neuroalign.cache.store import ActivationCache

__all__ = ["ActivationCache", "CacheEntry", "CacheError", "CacheWriteError", "DamagedCacheEntryError",
           "DamagedCacheWarning", "cache_key", "default_cache_dir", "digest_sequence"]
