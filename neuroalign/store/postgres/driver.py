"""A psycopg 3 connection that runs the store's backend-neutral SQL (``?`` placeholders, rows by column name)."""

from __future__ import annotations

import math
from typing import Any, Sequence

from neuroalign.errors.applications import StoreDriverError
from neuroalign.store.schema import POSTGRES_TYPES

#: Shown in ``pg_stat_activity``, so that a lab's database administrator sees who holds a connection.
APPLICATION_NAME = "neuroalign"


def psycopg_module() -> Any:
    """The ``psycopg`` package, or :class:`StoreDriverError` saying how to install it."""
    try:
        import psycopg
    except ImportError as error:
        raise StoreDriverError(
            "a PostgreSQL results store needs the psycopg driver, which is not installed: pip install "
            "'neuroalign[postgres]' (or give a file path to use the embedded SQLite store)") from error
    return psycopg


class PostgresConnection:
    """One autocommit psycopg connection; a write transaction is opened explicitly (``raw.transaction()``).

    ``execute`` takes the store's SQL with ``?`` placeholders (turned into psycopg's ``%s``) and returns a cursor
    whose rows are dicts; a float NaN parameter is sent as NULL, as SQLite stores it, so both backends read back
    the same values.
    """

    backend = "postgresql"
    types = POSTGRES_TYPES

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (``?`` placeholders) and return its cursor."""
        if not params:
            return self.raw.execute(sql)
        # no statement of the store has a literal ? or %; a % must still be doubled once parameters are bound
        return self.raw.execute(sql.replace("%", "%%").replace("?", "%s"), [_nan_as_null(p) for p in params])

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        """Run one ``INSERT`` and return the new row's id."""
        return self.execute(f"{sql} RETURNING id", params).fetchone()["id"]

    @property
    def usable(self) -> bool:
        """False once the connection was closed or broken (a server restart, a network cut)."""
        return not (self.raw.closed or self.raw.broken)

    def close(self) -> None:
        """Close the connection."""
        self.raw.close()


def connect(url: str, timeout: float) -> PostgresConnection:
    """A connection to ``url`` that gives up connecting, and waiting for a lock, after ``timeout`` seconds.

    Raises
    ------
    StoreDriverError
        psycopg is not installed.
    psycopg.OperationalError
        The server cannot be reached or refuses the login (the caller names the store).
    """
    psycopg = psycopg_module()
    from psycopg.rows import dict_row

    # libpq's connect_timeout is whole seconds, at least 2
    raw = psycopg.connect(url, autocommit=True, row_factory=dict_row, connect_timeout=max(2, math.ceil(timeout)),
                          application_name=APPLICATION_NAME)
    try:
        # a write that waits longer than this for another writer's lock fails (LockNotAvailable) instead of hanging
        raw.execute(f"SET lock_timeout = {max(1, int(timeout * 1000))}")
    except BaseException:
        raw.close()
        raise
    return PostgresConnection(raw)


def _nan_as_null(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value
