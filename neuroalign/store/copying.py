"""Copy results between stores (SQLite and PostgreSQL, either way), then check every copied row column by column.

A lab merges results from laptops and the cluster into one shared store: each row is written under its request
key with all its columns as they are (scores, JSON, timestamps); only ``id`` is the destination's own. A request
the destination holds already is left alone: when its row is identical it counts as present, when it differs it
is a conflict, kept as it is unless ``replace``. Afterwards every source row is read back from the destination
and compared with the source, column by column, with exact equality.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from neuroalign.errors.applications import StoreCopyError
from neuroalign.store.results_store import ResultsStore
from neuroalign.store.schema import COLUMNS

#: Every column a copy carries over and compares: all but the destination's own ``id``.
COPIED = COLUMNS[1:]
#: Rows per write transaction.
BATCH = 500


@dataclass(frozen=True)
class CopyReport:
    """What :func:`copy_results` did.

    Attributes
    ----------
    copied : int
        Source rows written into the destination.
    present : int
        Source rows the destination held already, identical in every column.
    replaced : int
        Conflicting rows overwritten (``replace=True``).
    conflicts : list of (str, list of str)
        Requests the destination holds with other values, kept there: the request key and the columns that
        differ.
    verified : int
        Source rows read back from the destination and found equal in every column.
    """

    copied: int
    present: int
    replaced: int
    conflicts: list[tuple[str, list[str]]] = field(default_factory=list)
    verified: int = 0


def copy_results(source: ResultsStore, destination: ResultsStore, *, replace: bool = False) -> CopyReport:
    """Copy every result of ``source`` into ``destination`` and verify each one there.

    Parameters
    ----------
    source, destination : ResultsStore
        Open stores, of either backend.
    replace : bool
        Overwrite a destination row that differs from the source row of the same request (by default it is
        kept, and reported as a conflict).

    Returns
    -------
    CopyReport

    Raises
    ------
    StoreCopyError
        Both are the same store, or a row read back from the destination differs from the source row it was
        copied from (nothing of the kind should happen; the message lists the rows).
    """
    if source.location == destination.location:
        raise StoreCopyError(f"source and destination are the same store ({source.location}); give two stores")
    rows = [_plain(row) for row in source._rows()]
    before = {row["request_key"]: row for row in map(_plain, destination._rows())}
    new = [row for row in rows if row["request_key"] not in before]
    differing = {row["request_key"]: row for row in rows
                 if row["request_key"] in before and _differences(row, before[row["request_key"]])}
    for start in range(0, len(new), BATCH):
        # "keep": a request another writer stored meanwhile is theirs; the check below compares it too
        destination._write_rows(new[start:start + BATCH], "keep")
    if replace and differing:
        replacing = list(differing.values())
        for start in range(0, len(replacing), BATCH):
            destination._write_rows(replacing[start:start + BATCH], "replace")
    after = {row["request_key"]: row for row in map(_plain, destination._rows())}
    conflicts, broken, verified = [], [], 0
    for row in rows:
        stored = after.get(row["request_key"])
        differences = ["(missing)"] if stored is None else _differences(row, stored)
        if not differences:
            verified += 1
        elif row["request_key"] in differing and not replace and stored is not None:
            conflicts.append((row["request_key"], differences))
        else:
            broken.append((row["request_key"], differences))
    if broken:
        listed = "; ".join(f"{key[:12]}... ({', '.join(columns)})" for key, columns in broken[:10])
        raise StoreCopyError(f"{len(broken)} of {len(rows)} rows copied from {source.location} read back "
                             f"differently from {destination.location}: {listed}. The destination keeps what was "
                             f"written; check it before relying on it.")
    return CopyReport(copied=len(new), present=len(rows) - len(new) - len(differing),
                      replaced=len(differing) if replace else 0, conflicts=conflicts, verified=verified)


def _plain(row: Any) -> dict[str, Any]:
    """A row of either backend as a dict of every column."""
    return {column: row[column] for column in COLUMNS}


def _differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """The copied columns whose values differ (exact equality; both backends store NaN as NULL)."""
    return [column for column in COPIED if a[column] != b[column] or type(a[column]) is not type(b[column])]
