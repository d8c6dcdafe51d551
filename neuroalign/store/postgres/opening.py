"""Open a PostgreSQL results store: create it, upgrade it, or refuse it, never changing a database not ours.

The store is two tables in the connection's current schema (``public`` unless the URL sets a ``search_path``):
``results``, the same layout as SQLite's, and ``neuroalign_store``, one row holding what SQLite keeps in its
header (the application id and the schema version). Creating and upgrading run in one transaction that first
takes a transaction-level advisory lock, so that processes opening a new (or old) store at the same moment
create (or migrate) it once: the others wait, then find it current.
"""

from __future__ import annotations

from typing import Any

from neuroalign.errors.applications import StoreNotFoundError, StoreSchemaError
from neuroalign.store.migrations import migrate
from neuroalign.store.postgres.driver import PostgresConnection
from neuroalign.store.schema import (APPLICATION_ID, POSTGRES_TYPES, SCHEMA_VERSION, create_statements,
                                     refuse_newer)

#: The advisory lock of store creation and migration (any 64-bit number; "NARS", as the SQLite header).
MIGRATION_LOCK = APPLICATION_ID

_META = "neuroalign_store"
_CREATE_META = (f"CREATE TABLE {_META} (one_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one_row), "
                "application_id BIGINT NOT NULL, schema_version INTEGER NOT NULL)")


def prepare_store(conn: PostgresConnection, location: str, *, create: bool) -> None:
    """Bring the store ``conn`` reaches to the current schema version (creating it where ``create``).

    Raises
    ------
    StoreNotFoundError
        ``create`` is False and the database holds no store.
    StoreSchemaError
        The schema holds tables that are not a results store, or a store of a newer schema version.
    """
    version = schema_version(conn, location)
    if version == SCHEMA_VERSION:
        return
    if version is None and not create:
        raise StoreNotFoundError(f"no results store in {location}: the database has no tables in its current "
                                 "schema. Check the URL (--store), or score models first (neuroalign run) to "
                                 "create the store.")
    with conn.raw.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
        # asked again under the lock: another process may have created or upgraded the store meanwhile
        version = schema_version(conn, location)
        if version is None:
            for statement in [*create_statements(POSTGRES_TYPES), _CREATE_META]:
                conn.execute(statement)
            conn.execute(f"INSERT INTO {_META} (application_id, schema_version) VALUES (?, ?)",
                         (APPLICATION_ID, SCHEMA_VERSION))
        elif version < SCHEMA_VERSION:
            migrate(conn, version, SCHEMA_VERSION, location)
            conn.execute(f"UPDATE {_META} SET schema_version = ?", (SCHEMA_VERSION,))


def schema_version(conn: Any, location: str) -> int | None:
    """The store's schema version, ``None`` for a schema without tables; raise for anything else."""
    tables = {row["table_name"] for row in conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
    if not tables:
        return None
    if _META not in tables:
        listed = ", ".join(sorted(tables))
        raise StoreSchemaError(f"{location} is not a neuroalign results store (its schema holds the tables "
                               f"{listed}); give another database, or another schema with ?options=-csearch_path"
                               f"%3D<schema> in the URL. Nothing was changed.")
    row = conn.execute(f"SELECT application_id, schema_version FROM {_META}").fetchone()
    if row is None or row["application_id"] != APPLICATION_ID:
        raise StoreSchemaError(f"{location} has a {_META} table that is not a neuroalign results store's; give "
                               "another database. Nothing was changed.")
    version = row["schema_version"]
    refuse_newer(location, version, "Nothing was changed.")
    if "results" not in tables:
        raise StoreSchemaError(f"{location} carries the results-store table {_META} but has no results table; "
                               "it is damaged. Nothing was changed.")
    return version
