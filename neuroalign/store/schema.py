"""The current layout of a results store (schema version 3) and how a new store is created."""

from __future__ import annotations

import sqlite3

#: Stored in the SQLite header (``PRAGMA application_id``), the field SQLite reserves for naming a file format:
#: "NARS", neuroalign results store.
APPLICATION_ID = 0x4E415253

#: Stored as ``PRAGMA user_version``; see :mod:`neuroalign.store.migrations` for older versions.
SCHEMA_VERSION = 3

#: Every column of ``results`` in display order; ``id`` is assigned by SQLite.
COLUMNS = (
    "id", "request_key", "model_id", "benchmark_id", "benchmark_version", "layer", "kind", "metric", "value",
    "ceiling", "ceiling_low", "normalized", "interval_low", "interval_high", "interval_level", "exceeds_ceiling",
    "n_scored", "n_stimuli", "raw_json", "null_json", "provenance_json", "parameters_json", "seed", "started_at", "duration_s",
    "created_at",
)

# AUTOINCREMENT: a replaced result gets a new id that was never used, so an id always names one result.
_CREATE = (
    """CREATE TABLE results (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        request_key TEXT NOT NULL UNIQUE,
        model_id TEXT NOT NULL,
        benchmark_id TEXT NOT NULL,
        benchmark_version TEXT NOT NULL,
        layer TEXT,
        kind TEXT NOT NULL DEFAULT 'score',
        metric TEXT NOT NULL,
        value REAL,
        ceiling REAL,
        ceiling_low REAL,
        normalized REAL,
        interval_low REAL,
        interval_high REAL,
        interval_level REAL NOT NULL,
        exceeds_ceiling INTEGER NOT NULL CHECK (exceeds_ceiling IN (0, 1)),
        n_scored INTEGER,
        n_stimuli INTEGER,
        raw_json TEXT,
        null_json TEXT,
        provenance_json TEXT NOT NULL,
        parameters_json TEXT NOT NULL,
        seed INTEGER,
        started_at TEXT,
        duration_s REAL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX results_kind ON results (kind)",
    "CREATE INDEX results_model_benchmark ON results (model_id, benchmark_id, benchmark_version)",
)


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the current layout in an empty database; the caller holds the write transaction."""
    for statement in _CREATE:
        conn.execute(statement)
    stamp_version(conn, SCHEMA_VERSION)


def stamp_version(conn: sqlite3.Connection, version: int) -> None:
    """Write the application id and schema version into the header (part of the caller's transaction)."""
    # PRAGMA takes no bound parameters; both values are integers defined in this module
    conn.execute(f"PRAGMA application_id = {int(APPLICATION_ID)}")
    conn.execute(f"PRAGMA user_version = {int(version)}")
