"""The results store: every score with its context and provenance, in an embedded SQLite database, or in a
shared PostgreSQL database given by a ``postgresql://`` URL.

>>> from neuroalign.store import ResultRecord, ResultsStore, format_leaderboard
>>> store = ResultsStore("results.sqlite")                                     # doctest: +SKIP
>>> record = ResultRecord(score, "alexnet", "kriegeskorte92-it", "1")          # doctest: +SKIP
>>> if not store.has(record.request_key):                                      # doctest: +SKIP
...     store.put(record)
>>> print(format_leaderboard(store.leaderboard()))                             # doctest: +SKIP
"""

from neuroalign.store.errors import (DuplicateResultError, RequestKeyMismatchError, StoreAccessError, StoreCopyError,
                                     StoreDamagedError, StoreDriverError, StoreError, StoreLockedError,
                                     StoreNotFoundError, StoreSchemaError)
from neuroalign.store.key import request_key
from neuroalign.store.leaderboard import leaderboard_table
from neuroalign.store.provenance import environment_provenance, file_sha256, merge_provenance
from neuroalign.store.record import ResultRecord
from neuroalign.store.results_store import ResultsStore
from neuroalign.store.schema import SCHEMA_VERSION
from neuroalign.store.stored import StoredResult
from neuroalign.store.text_table import format_leaderboard

__all__ = [
    "DuplicateResultError", "RequestKeyMismatchError", "ResultRecord", "ResultsStore", "SCHEMA_VERSION",
    "StoreAccessError", "StoreCopyError", "StoreDamagedError", "StoreDriverError", "StoreError", "StoreLockedError",
    "StoreNotFoundError", "StoreSchemaError", "StoredResult", "environment_provenance", "file_sha256",
    "format_leaderboard", "leaderboard_table", "merge_provenance", "request_key",
]
