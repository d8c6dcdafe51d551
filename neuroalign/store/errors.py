"""Exception types of the results store."""

from __future__ import annotations

from neuroalign.errors import NeuroAlignError


class StoreError(NeuroAlignError):
    """Base class of every error the results store raises."""


class StoreLockedError(StoreError, TimeoutError):
    """Another connection held the store's write lock for longer than the busy timeout."""


class StoreSchemaError(StoreError, ValueError):
    """The file is not a neuroalign results store, or one written by a newer neuroalign; it was left unchanged."""


class StoreDamagedError(StoreSchemaError):
    """The store's SQLite file is damaged (SQLite reports a malformed database image); it was left unchanged."""


class StoreAccessError(StoreError, OSError):
    """The store's file cannot be created or opened where it was asked for (no such folder, no permission)."""


class StoreNotFoundError(StoreError, FileNotFoundError):
    """A command that only reads results was given a store path where there is no store."""


class DuplicateResultError(StoreError, ValueError):
    """A result with the same request key is already stored and ``replace=True`` was not given."""


class RequestKeyMismatchError(StoreError, ValueError):
    """The key a caller gave :meth:`ResultsStore.put` is not the key of the record it is storing."""


class StoreDriverError(StoreError, ImportError):
    """A PostgreSQL store was asked for, and its driver (psycopg) is not installed."""


class MissingExtraError(StoreError, ImportError):
    """An optional export was asked for, and the package it needs (an extra of neuroalign) is not installed."""


class StoreCopyError(StoreError):
    """``store copy`` read a row back from the destination that differs from the source row it wrote."""
