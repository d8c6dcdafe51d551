"""The results store: every score with its context and provenance, in an embedded SQLite database, or in a
shared PostgreSQL database given by a ``postgresql://`` URL.

>>> from neuroalign.store import ResultRecord, ResultsStore, format_leaderboard
>>> store = ResultsStore("results.sqlite")                                     # doctest: +SKIP
>>> record = ResultRecord(score, "alexnet", "kriegeskorte92-it", "1")          # doctest: +SKIP
>>> if not store.has(record.request_key):                                      # doctest: +SKIP
...     store.put(record)
>>> print(format_leaderboard(store.leaderboard()))                             # doctest: +SKIP

Every name is imported on first use (PEP 562), so that importing the package, or one light module of it, loads
no pandas, h5py or torch.
"""

from neuroalign.utils.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "neuroalign.errors.applications": ["DuplicateResultError", "MissingExtraError", "RequestKeyMismatchError",
                                       "StoreAccessError", "StoreCopyError", "StoreDamagedError", "StoreDriverError",
                                       "StoreError", "StoreLockedError", "StoreNotFoundError", "StoreSchemaError"],
    "neuroalign.store.key": ["request_key"],
    "neuroalign.store.leaderboard": ["leaderboard_table"],
    "neuroalign.store.provenance": ["environment_provenance", "file_sha256", "merge_provenance"],
    "neuroalign.store.record": ["ResultRecord"],
    "neuroalign.store.results_store": ["ResultsStore"],
    "neuroalign.store.schema": ["SCHEMA_VERSION"],
    "neuroalign.store.stored": ["StoredResult"],
    "neuroalign.store.text_table": ["format_leaderboard"],
})
