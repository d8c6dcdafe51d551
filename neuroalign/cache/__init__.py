"""The activation cache: one HDF5 file per model and stimulus set, keyed by a content hash, written batch by batch.

>>> from neuroalign.cache import ActivationCache
>>> cache = ActivationCache("/tmp/acts")          # doctest: +SKIP
>>> [e.model_id for e in cache.entries()]          # doctest: +SKIP

Every name is imported on first use (PEP 562), so that importing one light module of the package (its errors, which
the model adapters re-export) loads no h5py or pandas.
"""

from neuroalign.utils.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "neuroalign.cache.entries": ["CacheEntry"],
    "neuroalign.errors.adapters": ["CacheError", "CacheWriteError", "DamagedCacheEntryError", "DamagedCacheWarning"],
    "neuroalign.cache.key": ["cache_key", "digest_sequence"],
    "neuroalign.cache.location": ["default_cache_dir"],
    "neuroalign.cache.store": ["ActivationCache"],
})
