"""Open a results store: create it, upgrade it, or refuse it, without ever changing a file that is not ours."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Iterator

from neuroalign.store.connection import connect, damaged_as_error, locked_as_error, write_transaction
from neuroalign.errors.applications import StoreAccessError, StoreDamagedError, StoreNotFoundError, StoreSchemaError
from neuroalign.store.migrations import migrate
from neuroalign.store.schema import APPLICATION_ID, SCHEMA_VERSION, create_schema, refuse_newer, stamp_version

_SQLITE_HEADER = b"SQLite format 3\x00"


def open_database(path: Path, timeout: float, *, create: bool = True) -> sqlite3.Connection:
    """A connection to the store at ``path`` at the current schema version, in WAL mode.

    With ``create=False`` a missing (or empty) file is an error instead of a new store: a command that only
    reads results must not leave an empty store behind a mistyped path and report "no results".

    Raises
    ------
    StoreNotFoundError
        ``create`` is False and there is no store at ``path``.
    StoreDamagedError
        SQLite reports the file's database image as malformed.
    StoreAccessError
        The file cannot be created or opened there (a part of the path is a file, no permission).
    StoreSchemaError
        ``path`` is not SQLite, is an SQLite database of something else, or a store of a newer schema version.
    StoreLockedError
        Creating or upgrading had to wait longer than ``timeout`` for another writer.
    """
    if not create:
        _require_store(path)
    _refuse_non_sqlite(path)
    conn = _connect(path, timeout)
    try:
        with damaged_as_error(path), locked_as_error(path, timeout), _unopenable_as_error(path):
            if _version(conn, path) != SCHEMA_VERSION:
                with write_transaction(conn, path, timeout):
                    _create_or_migrate(conn, path)
            # WAL lets readers go on while one process writes; only now, once the file is known to be ours,
            # because switching the journal mode rewrites the header
            conn.execute("PRAGMA journal_mode = WAL").fetchall()
    except BaseException:
        conn.close()
        raise
    return conn


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection to ``path``, its folder created first; what stands in the way is named."""
    blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise StoreAccessError(f"cannot create the results store {path}: {blocking} is a file, not a folder; give "
                               "another path")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreAccessError(f"cannot create the folder of the results store {path}: {exc.strerror or exc}; "
                               "give a path you may write") from exc
    with _unopenable_as_error(path):
        return connect(path, timeout)


@contextlib.contextmanager
def _unopenable_as_error(path: Path) -> Iterator[None]:
    """SQLite's "unable to open database file" (a folder it may not write, a read-only file system) with the path."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorname", "") != "SQLITE_CANTOPEN" and "unable to open" not in str(exc):
            raise
        raise StoreAccessError(f"cannot open the results store {path}: SQLite says {exc}. Check that its folder "
                               "exists and that you may write there, or give another path") from exc


def _create_or_migrate(conn: sqlite3.Connection, path: Path) -> None:
    # asked again under the write lock: another process may have created or upgraded the store meanwhile
    version = _version(conn, path)
    if version is None:
        create_schema(conn)
    elif version < SCHEMA_VERSION:
        migrate(conn, version, SCHEMA_VERSION, str(path))
        stamp_version(conn, SCHEMA_VERSION)


def _require_store(path: Path) -> None:
    if path.is_dir() or (path.is_file() and path.stat().st_size > 0):
        return  # a folder is refused with its own message
    what = "is an empty file" if path.is_file() else "does not exist"
    raise StoreNotFoundError(f"no results store at {path}: the path {what}. Check the path (--store), or score "
                             f"models first (neuroalign run) to create the store.")


def _refuse_non_sqlite(path: Path) -> None:
    if not path.exists():
        return
    if path.is_dir():
        raise StoreSchemaError(f"{path} is a directory; give the path of a results-store file (e.g. results.sqlite)")
    with path.open("rb") as f:
        header = f.read(len(_SQLITE_HEADER))
    if header and header != _SQLITE_HEADER:  # an empty file is a store yet to be created
        raise StoreSchemaError(f"{path} is not a neuroalign results store (not an SQLite database); choose another "
                               f"path. The file was not changed.")


def _version(conn: sqlite3.Connection, path: Path) -> int | None:
    """The schema version of the store, ``None`` for an empty database; raise for anything else."""
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite_%'")}
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
            raise
        raise StoreDamagedError(f"{path} is not a readable SQLite database ({exc}); restore it from a backup or "
                                f"choose another path. The file was not changed.") from exc
    if application_id != APPLICATION_ID:
        if not tables and version == 0:
            return None
        listed = ", ".join(sorted(tables)) or "no tables"
        raise StoreSchemaError(f"{path} is not a neuroalign results store (an SQLite database with {listed}); "
                               f"choose another path. The file was not changed.")
    refuse_newer(str(path), version, "The file was not changed.")
    if "results" not in tables:
        raise StoreSchemaError(f"{path} carries the results-store id but has no results table; it is damaged. "
                               f"The file was not changed.")
    return version
