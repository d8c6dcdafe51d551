""":class:`PostgresDatabase`: the PostgreSQL side of :class:`~neuroalign.store.ResultsStore`.

Writes are safe with many writers at once (processes, machines, a Dask grid's client) at PostgreSQL's default
isolation, READ COMMITTED: ``request_key`` is UNIQUE, and a write transaction that loses a race (a unique violation
where another writer inserted the same key first, a deadlock between two batches, a serialization failure) is
rolled back and run again from the start. Its statements look before they write, so the second run sees the
winner's row and keeps, raises on or replaces it as the caller asked: no duplicate row, no lost row.
"""

from __future__ import annotations

import random
import time
from typing import Callable, TypeVar

from neuroalign.store.location import redact_url
from neuroalign.store.postgres.driver import PostgresConnection, connect, psycopg_module
from neuroalign.store.postgres.errors import postgres_errors
from neuroalign.store.postgres.opening import prepare_store

T = TypeVar("T")

#: Runs of one write transaction before a lost race is given up (each loss means another writer progressed).
MAX_ATTEMPTS = 20


class PostgresDatabase:
    """A connection to a PostgreSQL store, reconnected when the server dropped it between two calls.

    Parameters
    ----------
    url : str
        ``postgresql://user:password@host:port/database`` (libpq's URL; ``?sslmode=...``, ``?options=...``).
    timeout : float
        Seconds to wait for the connection, and for another writer's lock.
    create : bool
        Create the store's tables in a database without tables (else :class:`StoreNotFoundError`).
    """

    backend = "postgresql"

    def __init__(self, url: str, timeout: float, *, create: bool) -> None:
        self.url, self.timeout = url, timeout
        self.location = redact_url(url)
        with postgres_errors(self.location, timeout):
            self._conn = connect(url, timeout)
            try:
                prepare_store(self._conn, self.location, create=create)
            except BaseException:
                self._conn.close()
                raise

    def _live(self) -> PostgresConnection:
        if not self._conn.usable:  # the server restarted or the network dropped since the last call
            self._conn = connect(self.url, self.timeout)
        return self._conn

    def read(self, work: Callable[[PostgresConnection], T]) -> T:
        """``work(conn)`` for reads (each statement sees the latest commits), errors named after the store.

        A connection the server dropped (a restart, an idle connection cut by the network) is opened again and
        ``work`` run once more: a read changes nothing.
        """
        with postgres_errors(self.location, self.timeout):
            for attempt in (1, 2):
                conn = self._live()
                try:
                    return work(conn)
                except psycopg_module().OperationalError:
                    if attempt == 2 or conn.usable:
                        raise
        raise AssertionError("unreachable")  # pragma: no cover

    def transact(self, work: Callable[[PostgresConnection], T]) -> T:
        """Run ``work(conn)`` in one transaction, again from the start if it lost a race to another writer.

        ``work`` must be safe to run again: it is rolled back entirely before each new run. A connection that
        broke while ``work`` ran is opened again, and the transaction run again on it; one that broke during the
        commit is not (the commit may have landed), and the error is raised.
        """
        psycopg = psycopg_module()
        # the errors of a lost race; psycopg files the last two under OperationalError, as it does a lost connection
        races = (psycopg.errors.UniqueViolation, psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)
        with postgres_errors(self.location, self.timeout):
            for attempt in range(1, MAX_ATTEMPTS + 1):
                conn, committing = self._live(), False
                try:
                    with conn.raw.transaction():
                        result = work(conn)
                        committing = True
                    return result
                except psycopg.Error as error:
                    lost = isinstance(error, psycopg.OperationalError) and not conn.usable and not committing
                    if attempt == MAX_ATTEMPTS or not (isinstance(error, races) or lost):
                        raise
                    # a short random pause, so that two writers that collided do not collide again in step
                    time.sleep(random.uniform(0, 0.01 * attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()
