"""Upgrades of older results stores, applied in place inside one write transaction.

Each entry of :data:`MIGRATIONS` turns version ``n`` into ``n + 1``; a store is upgraded step by step. A failed
step rolls the whole upgrade back, so the store stays at its old version, readable by the neuroalign that wrote it.
The steps are written once for both backends: SQL with ``?`` placeholders, rows read by column name, column types
from ``conn.types`` (see :mod:`neuroalign.store.schema`); the connection is an SQLite or a PostgreSQL one.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from neuroalign.store.canonical import canonical_json
from neuroalign.errors.applications import StoreSchemaError
from neuroalign.store.key import request_key
from neuroalign.store.rows import stimulus_counts


def _v1_to_v2(conn: Any, path: str) -> None:
    """Version 1 had no ``kind`` and no ``seed``; its keys hashed a document without ``kind``."""
    conn.execute("ALTER TABLE results ADD COLUMN kind TEXT NOT NULL DEFAULT 'score'")
    conn.execute(f"ALTER TABLE results ADD COLUMN seed {conn.types['integer']}")
    conn.execute("CREATE INDEX results_kind ON results (kind)")
    rows = conn.execute("SELECT id, model_id, benchmark_id, benchmark_version, parameters_json "
                        "FROM results ORDER BY id").fetchall()
    for row in rows:
        row_id = row["id"]
        # recompute each key under the current definition, so a re-run of the same request finds the old row
        try:
            parameters = json.loads(row["parameters_json"])
        except (TypeError, ValueError) as exc:
            raise StoreSchemaError(f"cannot upgrade {path}: row {row_id} has unreadable parameters_json "
                                   f"({exc}); the store was left at schema version 1") from exc
        key = request_key(row["model_id"], row["benchmark_id"], row["benchmark_version"], parameters)
        conn.execute("UPDATE results SET request_key = ?, parameters_json = ? WHERE id = ?",
                     (key, canonical_json(parameters), row_id))


def _v2_to_v3(conn: Any, path: str) -> None:
    """Version 2 did not say on how many of the benchmark's stimuli a score was computed.

    The counts are filled in from a row's provenance where it records them; otherwise they stay NULL (unknown:
    versions before 3 scored whatever subset a model returned without saying so).
    """
    for column in ("n_scored", "n_stimuli"):
        conn.execute(f"ALTER TABLE results ADD COLUMN {column} {conn.types['integer']}")
    for row in conn.execute("SELECT id, provenance_json FROM results ORDER BY id").fetchall():
        scored, total = stimulus_counts(_json_or_empty(row["provenance_json"]))
        if scored is not None:
            conn.execute("UPDATE results SET n_scored = ?, n_stimuli = ? WHERE id = ?", (scored, total, row["id"]))


def _json_or_empty(text: str) -> dict:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


#: ``MIGRATIONS[n]`` upgrades a store of schema version ``n`` to ``n + 1``.
MIGRATIONS: dict[int, Callable[[Any, str], None]] = {1: _v1_to_v2, 2: _v2_to_v3}


def migrate(conn: Any, version: int, target: int, path: str) -> None:
    """Upgrade from ``version`` to ``target`` step by step; the caller holds the write transaction."""
    for step in range(version, target):
        if step not in MIGRATIONS:
            raise StoreSchemaError(f"{path} has results-store schema version {version}, which no migration "
                                   f"upgrades; the store was not changed")
        MIGRATIONS[step](conn, path)
