"""The current layout of a results store (schema version 3) and how a new SQLite store is created.

A PostgreSQL store has the same layout (:mod:`neuroalign.store.postgres.opening` creates it).
"""

from __future__ import annotations

import sqlite3

from neuroalign.errors.applications import StoreSchemaError

#: Stored in the SQLite header (``PRAGMA application_id``), the field SQLite reserves for naming a file format:
#: "NARS", neuroalign results store.
APPLICATION_ID = 0x4E415253

#: Stored as ``PRAGMA user_version``; see :mod:`neuroalign.store.migrations` for older versions.
SCHEMA_VERSION = 3

#: Every column of ``results`` in display order; ``id`` is assigned by the database.
COLUMNS = (
    "id", "request_key", "model_id", "benchmark_id", "benchmark_version", "layer", "kind", "metric", "value",
    "ceiling", "ceiling_low", "normalized", "interval_low", "interval_high", "interval_level", "exceeds_ceiling",
    "n_scored", "n_stimuli", "raw_json", "null_json", "provenance_json", "parameters_json", "seed", "started_at", "duration_s",
    "created_at",
)

#: SQL type names per backend; the DDL below and the migrations are written with these placeholders, so that
#: one layout (and one chain of migrations) serves SQLite and PostgreSQL. In SQLite, AUTOINCREMENT: a replaced
#: result gets a new id that was never used, so an id always names one result (a PostgreSQL identity never
#: reuses a value either). PostgreSQL's REAL is 4 bytes and INTEGER 4: its columns are 8-byte, as SQLite's are.
SQLITE_TYPES = {"id": "INTEGER PRIMARY KEY AUTOINCREMENT", "integer": "INTEGER", "real": "REAL"}
POSTGRES_TYPES = {"id": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "integer": "BIGINT",
                  "real": "DOUBLE PRECISION"}

_CREATE = (
    """CREATE TABLE results (
        id {id},
        request_key TEXT NOT NULL UNIQUE,
        model_id TEXT NOT NULL,
        benchmark_id TEXT NOT NULL,
        benchmark_version TEXT NOT NULL,
        layer TEXT,
        kind TEXT NOT NULL DEFAULT 'score',
        metric TEXT NOT NULL,
        value {real},
        ceiling {real},
        ceiling_low {real},
        normalized {real},
        interval_low {real},
        interval_high {real},
        interval_level {real} NOT NULL,
        exceeds_ceiling {integer} NOT NULL CHECK (exceeds_ceiling IN (0, 1)),
        n_scored {integer},
        n_stimuli {integer},
        raw_json TEXT,
        null_json TEXT,
        provenance_json TEXT NOT NULL,
        parameters_json TEXT NOT NULL,
        seed {integer},
        started_at TEXT,
        duration_s {real},
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX results_kind ON results (kind)",
    "CREATE INDEX results_model_benchmark ON results (model_id, benchmark_id, benchmark_version)",
)


def create_statements(types: dict[str, str]) -> list[str]:
    """The statements that create the current layout, with ``types`` (:data:`SQLITE_TYPES`, ...) filled in."""
    return [statement.format(**types) for statement in _CREATE]


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the current layout in an empty database; the caller holds the write transaction."""
    for statement in create_statements(SQLITE_TYPES):
        conn.execute(statement)
    stamp_version(conn, SCHEMA_VERSION)


def stamp_version(conn: sqlite3.Connection, version: int) -> None:
    """Write the application id and schema version into the header (part of the caller's transaction)."""
    # PRAGMA takes no bound parameters; both values are integers defined in this module
    conn.execute(f"PRAGMA application_id = {int(APPLICATION_ID)}")
    conn.execute(f"PRAGMA user_version = {int(version)}")


def refuse_newer(location: str, version: int, unchanged: str) -> None:
    """Raise :class:`StoreSchemaError` for a store of a schema version newer than this neuroalign reads.

    ``unchanged`` ends the message, saying what was left alone ("The file was not changed.").
    """
    if version > SCHEMA_VERSION:
        raise StoreSchemaError(f"{location} is a results store of schema version {version}, written by a newer "
                               f"neuroalign; this one reads versions up to {SCHEMA_VERSION}. Upgrade neuroalign "
                               f"(pip install -U neuroalign). {unchanged}")
