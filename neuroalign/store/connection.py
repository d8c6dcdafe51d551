"""Connections and write transactions, with SQLite's "database is locked" turned into :class:`StoreLockedError`."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any, Iterator, Sequence

from neuroalign.errors.applications import StoreDamagedError, StoreLockedError
from neuroalign.store.schema import SQLITE_TYPES

#: SQLite's result codes for a file that is not (or no longer) a readable database image.
_DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


class SqliteConnection(sqlite3.Connection):
    """An SQLite connection with what the backend-neutral code of the store asks of a connection.

    The migrations and :class:`~neuroalign.store.ResultsStore` run the same SQL (``?`` placeholders) on this
    and on :class:`~neuroalign.store.postgres.driver.PostgresConnection`; ``types`` names the column types.
    """

    backend = "sqlite"
    types = SQLITE_TYPES

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        """Run one ``INSERT`` and return the new row's id."""
        return self.execute(sql, params).lastrowid


def connect(path: Path, timeout: float) -> SqliteConnection:
    """A connection in autocommit mode whose busy handler waits up to ``timeout`` seconds for a lock.

    Autocommit (``isolation_level=None``) because the stdlib's implicit transactions begin only before DML, so
    DDL of a migration would escape them; :func:`write_transaction` begins every transaction explicitly instead.
    """
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, factory=SqliteConnection)
    conn.row_factory = sqlite3.Row
    return conn


@contextlib.contextmanager
def locked_as_error(path: Path, timeout: float) -> Iterator[None]:
    """Re-raise SQLite's busy/locked errors as :class:`StoreLockedError` naming ``path`` and what to do."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        name = getattr(exc, "sqlite_errorname", "")  # Python >= 3.11
        if not (name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc) or "busy" in str(exc)):
            raise
        raise StoreLockedError(
            f"results store {path} is locked: another connection held its write lock for more than "
            f"{timeout:g} s ({exc}). Wait for the other process to finish its write (or stop it), or open the "
            f"store with a longer timeout, ResultsStore(path, timeout=...). On a network filesystem (NFS, SMB) "
            f"SQLite locking is unreliable: keep the store on a local disk."
        ) from exc


@contextlib.contextmanager
def damaged_as_error(path: Path) -> Iterator[None]:
    """Re-raise SQLite's "database disk image is malformed" (and "not a database") as :class:`StoreDamagedError`.

    A store can be damaged after it was opened (a disk error, a copy taken mid-write, a file edited by hand):
    SQLite finds out only when a query reaches the broken page, so every query of the store runs under this.
    """
    try:
        yield
    except sqlite3.DatabaseError as exc:
        name = getattr(exc, "sqlite_errorname", "")  # Python >= 3.11
        if not (name.startswith(_DAMAGED) or "malformed" in str(exc) or "not a database" in str(exc)):
            raise
        raise StoreDamagedError(
            f"results store {path} is damaged: SQLite reports {exc}. Restore the file from a backup (or move it "
            f"aside and rerun the scores into a new store); `sqlite3 {path} .recover` may rescue the readable "
            f"rows. The file was not changed."
        ) from exc


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection, path: Path, timeout: float) -> Iterator[sqlite3.Connection]:
    """One write transaction: committed when the block ends, rolled back entirely if it raises.

    ``BEGIN IMMEDIATE`` takes the write lock up front, so waiting for another writer happens here, under the busy
    timeout, rather than as an unrecoverable lock upgrade half-way through the block.
    """
    with damaged_as_error(path), locked_as_error(path, timeout):
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite may already have rolled back after some errors
                conn.execute("ROLLBACK")
            raise
