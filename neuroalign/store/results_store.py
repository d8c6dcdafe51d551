""":class:`ResultsStore`: every score with its context and provenance, in one SQLite file or a PostgreSQL database."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from neuroalign.core.score import Score

from neuroalign.store.board import Board, build_board
from neuroalign.errors.applications import DuplicateResultError, RequestKeyMismatchError
from neuroalign.store.location import is_postgres_url
from neuroalign.store.record import ResultRecord
from neuroalign.store.rows import record_row
from neuroalign.store.schema import COLUMNS
from neuroalign.store.sqlite_database import SqliteDatabase
from neuroalign.store.stored import StoredResult

if TYPE_CHECKING:  # pandas is imported by the methods that return DataFrames: reading the board needs none
    import pandas as pd

_INSERT_COLUMNS = COLUMNS[1:]
_INSERT = f"INSERT INTO results ({', '.join(_INSERT_COLUMNS)}) VALUES ({', '.join('?' * len(_INSERT_COLUMNS))})"
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM results"


class ResultsStore:
    """A results store: an SQLite database file (the embedded default), or a PostgreSQL database for a store that
    many people and machines write at once (a lab's shared leaderboard); created on first use.

    Both hold the same table, with the same schema version, request keys and migrations, and read back the same
    values. Several processes may read and write one store; each write is one short transaction, and a writer
    waits up to ``timeout`` seconds for another to finish before raising :class:`StoreLockedError`.

    Parameters
    ----------
    path : path-like or str
        The database file (created with its parent directories if missing, unless ``create`` is False), or a
        ``postgresql://user:password@host:port/database`` URL (the database must exist; the store's tables are
        created in it; needs ``pip install 'neuroalign[postgres]'``).
    timeout : float
        Seconds to wait for another connection's write lock (and, for PostgreSQL, for the connection).
    create : bool
        Create a store where there is none (the default). ``False`` for code that only reads results: a missing
        store is then an error, not a new empty one.

    Attributes
    ----------
    location : str
        The file's path, or the URL with its password shown as ``***``: what messages name.
    backend : str
        ``"sqlite"`` or ``"postgresql"``.
    path : Path or None
        The SQLite file (``None`` for PostgreSQL).

    Raises
    ------
    StoreNotFoundError
        ``create`` is False and there is no store at ``path``.
    StoreDamagedError
        SQLite reports the file as malformed (when opening it, or later when a query reaches a damaged page).
    StoreSchemaError
        ``path`` is not a neuroalign results store, or one of a newer schema version (the file is left unchanged).
    StoreLockedError
        Creating or upgrading the store waited longer than ``timeout``.
    StoreAccessError
        The file cannot be created there, or the PostgreSQL server cannot be reached or refuses the login.
    StoreDriverError
        A PostgreSQL URL was given and psycopg is not installed.

    Examples
    --------
    >>> store = ResultsStore("results.sqlite")                                          # doctest: +SKIP
    >>> store.put(ResultRecord(score, "alexnet", "kriegeskorte92-it", "1"))            # doctest: +SKIP
    >>> print(format_leaderboard(store.leaderboard()))                                 # doctest: +SKIP
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 10.0, create: bool = True) -> None:
        self.timeout = float(timeout)
        if is_postgres_url(path):
            from neuroalign.store.postgres.database import PostgresDatabase

            self.path = None
            self._db: Any = PostgresDatabase(str(path), self.timeout, create=create)
        else:
            self.path = Path(path)
            self._db = SqliteDatabase(self.path, self.timeout, create=create)
        self.location, self.backend = self._db.location, self._db.backend

    def __repr__(self) -> str:
        return f"ResultsStore({self.location!r})"

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (for SQLite, the last one to close folds the WAL file back into the database)."""
        self._db.close()

    def put(self, record: ResultRecord | Score, *, replace: bool = False, key: str | None = None,
            **context: Any) -> int:
        """Store one result.

        Parameters
        ----------
        record : ResultRecord or Score
            The score and its context; or a bare score, its context then given as keywords.
        replace : bool
            Replace a stored result with the same request key (in the same transaction) instead of raising.
        key : str, optional
            The request key the caller looked the request up with; checked against the record's own key, so that
            a lookup and the write cannot silently disagree.
        **context
            With a bare :class:`~neuroalign.core.Score`: the other fields of :class:`ResultRecord`
            (``model_id``, ``benchmark_id``, ``benchmark_version``, ``parameters``, ``layer``, ``kind``, ``seed``,
            ``started_at``, ``duration_s``, ``provenance``).

        Returns
        -------
        int
            The new row id.

        Raises
        ------
        DuplicateResultError
            The request key is already stored and ``replace`` is False.
        RequestKeyMismatchError
            ``key`` is not the record's request key.
        StoreLockedError
            Another connection held the write lock for longer than ``timeout``.
        """
        if isinstance(record, Score):
            record = ResultRecord(record, **context)
        elif context:
            raise TypeError(f"context keywords ({', '.join(sorted(context))}) go with a bare Score; a ResultRecord "
                            "carries its own")
        if key is not None and key != record.request_key:
            raise RequestKeyMismatchError(
                f"key {key[:12]}... is not the request key of this record ({record.request_key[:12]}...): the "
                f"record's model_id, benchmark_id, benchmark_version, kind and parameters must be the ones the key "
                f"was computed from (request_key(model_id, benchmark_id, benchmark_version, parameters, kind=...))")
        return self.put_many([record], replace=replace)[0]

    def put_many(self, records: Iterable[ResultRecord], *, replace: bool = False) -> list[int]:
        """Store several results in one transaction: all of them, or (on any error) none.

        Parameters
        ----------
        records : iterable of ResultRecord
            Consumed before the transaction begins, so an exception raised while producing them writes nothing.
        replace : bool
            As in :meth:`put`.

        Returns
        -------
        list of int
            The new row ids, in order.
        """
        return self._write(records, "replace" if replace else "raise")

    def put_if_absent(self, records: Iterable[ResultRecord]) -> list[int | None]:
        """Store the records whose request is not stored yet, in one transaction; keep the stored ones as they are.

        For writers that race: two processes that computed the same request both try to store it, and the second
        finds the first one's row. That row is the result (the same request gives the same score); the second
        copy is dropped instead of raising :class:`DuplicateResultError`.

        Parameters
        ----------
        records : iterable of ResultRecord

        Returns
        -------
        list of int or None
            The new row id of each record, or ``None`` where a result for its request was already stored (and
            kept).
        """
        return self._write(records, "keep")

    def _write(self, records: Iterable[ResultRecord], existing_rows: str) -> list[Any]:
        """Insert ``records`` in one transaction; a stored request key is raised on, replaced or kept."""
        records = list(records)  # all of them before the transaction, which may have to run again (PostgreSQL)
        for record in records:
            if not isinstance(record, ResultRecord):
                raise TypeError(f"put expects ResultRecord objects; got {type(record).__name__}")
        return self._write_rows([record_row(record) for record in records], existing_rows)

    def _write_rows(self, rows: list[dict[str, Any]], existing_rows: str) -> list[Any]:
        """Insert rows (every column but ``id``) in one transaction: ``existing_rows`` is what to do where a
        row's request key is stored already, ``"raise"``, ``"replace"`` or ``"keep"`` (its id is then None)."""
        # ids follow the order given; two PostgreSQL writers of overlapping batches may then deadlock, and the
        # one PostgreSQL aborts runs its transaction again

        def write(conn: Any) -> list[Any]:
            ids: list[Any] = [None] * len(rows)
            for i, row in enumerate(rows):
                existing = conn.execute("SELECT id, created_at FROM results WHERE request_key = ?",
                                        (row["request_key"],)).fetchone()
                if existing is not None and existing_rows == "keep":
                    continue
                if existing is not None and existing_rows == "raise":
                    raise DuplicateResultError(
                        f"a result for this request is already stored in {self.location} (row {existing['id']}, "
                        f"created {existing['created_at']}; model {row['model_id']!r}, benchmark "
                        f"{row['benchmark_id']!r}@{row['benchmark_version']}, layer {row['layer']!r}, kind "
                        f"{row['kind']!r}, key {row['request_key'][:12]}...). Reuse it with get(key), or pass "
                        f"replace=True to overwrite it.")
                if existing is not None:
                    conn.execute("DELETE FROM results WHERE id = ?", (existing["id"],))
                ids[i] = conn.insert(_INSERT, [row[c] for c in _INSERT_COLUMNS])
            return ids

        return self._db.transact(write)

    def get(self, key: str) -> StoredResult | None:
        """The result stored under request ``key``, or ``None``.

        Parameters
        ----------
        key : str
            A :func:`~neuroalign.store.request_key` (or :attr:`ResultRecord.request_key`).

        Returns
        -------
        StoredResult or None
        """
        row = self._db.read(lambda conn: conn.execute(f"{_SELECT} WHERE request_key = ?", (key,)).fetchone())
        return None if row is None else StoredResult.from_row(row)

    def has(self, key: str) -> bool:
        """Whether a result is stored under request ``key``."""
        found = self._db.read(lambda conn: conn.execute("SELECT 1 FROM results WHERE request_key = ?",
                                                        (key,)).fetchone())
        return found is not None

    def results(self, model_id: str | None = None, benchmark_id: str | None = None,
                kind: str | None = None) -> pd.DataFrame:
        """Stored results as a table, optionally filtered (``None`` means any).

        Parameters
        ----------
        model_id, benchmark_id, kind : str, optional
            Keep only results with these values.

        Returns
        -------
        DataFrame
            One row per result in id order, one column per column of the ``results`` table; JSON columns as text.
        """
        filters = {"model_id": model_id, "benchmark_id": benchmark_id, "kind": kind}
        used = {name: value for name, value in filters.items() if value is not None}
        where = " WHERE " + " AND ".join(f"{name} = ?" for name in used) if used else ""
        from neuroalign.store.frame import results_frame

        return results_frame(self._rows(where, tuple(used.values())))

    def _rows(self, where: str = "", params: tuple[Any, ...] = ()) -> list[Any]:
        """Rows of every column in id order (``where``: an SQL condition with ``?`` placeholders, or empty)."""
        return self._db.read(lambda conn: conn.execute(f"{_SELECT}{where} ORDER BY id", params).fetchall())

    def leaderboard(self, kind: str = "score") -> pd.DataFrame:
        """One row per model, one column group per benchmark; see :func:`~neuroalign.store.leaderboard_table`.

        Parameters
        ----------
        kind : str
            Which kind of result to rank.

        Returns
        -------
        DataFrame
            Render it with :func:`~neuroalign.store.format_leaderboard`.
        """
        from neuroalign.store.leaderboard import table_from_board

        return table_from_board(self.board(kind))

    def board(self, kind: str = "score") -> Board:
        """The rows of :meth:`leaderboard` (of results of this ``kind``) as a pandas-free
        :class:`~neuroalign.store.board.Board`, best mean normalised score first: what ``neuroalign leaderboard``
        prints through :func:`~neuroalign.store.format_leaderboard`."""
        return build_board(self._rows(" WHERE kind = ?", (kind,)), kind)

    def export_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write every result to a CSV file atomically; returns its path.

        The columns of :meth:`results`, the score columns named by their scale (``raw_value``,
        ``raw_interval_low``, ``raw_interval_high``, ``normalized_value``; see :mod:`neuroalign.store.export`).
        """
        from neuroalign.store.export import export_frame, write_csv

        return write_csv(export_frame(self.results()), path)

    def export_parquet(self, path: str | os.PathLike[str]) -> Path:
        """Write every result to a Parquet file atomically (the columns of :meth:`export_csv`); returns its path."""
        from neuroalign.store.export import export_frame, write_parquet

        return write_parquet(export_frame(self.results()), path)
