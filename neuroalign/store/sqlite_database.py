""":class:`SqliteDatabase`: the SQLite side of :class:`~neuroalign.store.ResultsStore` (the embedded default)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, TypeVar

from neuroalign.store.connection import SqliteConnection, damaged_as_error, write_transaction
from neuroalign.store.opening import open_database

T = TypeVar("T")


class SqliteDatabase:
    """One connection to a store file in WAL mode; writers take the file's write lock up front.

    Parameters
    ----------
    path : Path
        The database file.
    timeout : float
        Seconds to wait for another connection's write lock.
    create : bool
        Create a store where there is none (else :class:`StoreNotFoundError`).
    """

    backend = "sqlite"

    def __init__(self, path: Path, timeout: float, *, create: bool) -> None:
        self.path, self.timeout = path, timeout
        self.location = str(path)
        self._conn = open_database(path, timeout, create=create)

    def read(self, work: Callable[[SqliteConnection], T]) -> T:
        """``work(conn)``, with a damaged file reported as :class:`StoreDamagedError`."""
        with damaged_as_error(self.path):
            return work(self._conn)

    def transact(self, work: Callable[[SqliteConnection], T]) -> T:
        """Run ``work(conn)`` in one write transaction (``BEGIN IMMEDIATE``: no other writer can interleave)."""
        with write_transaction(self._conn, self.path, self.timeout) as conn:
            return work(conn)

    def close(self) -> None:
        """Close the connection (the last one to close folds the WAL file back into the database)."""
        self._conn.close()
