"""Choosing part of a BIDS-laid-out dataset by subject, session and run, so a user fetches megabytes, not all.

A file's entities are read from its path in the manifest (``sub-1/func/sub-1_task-x_run-01_bold.nii.gz``). A file
that lacks an entity being selected on is shared by every value of it and is kept: the dataset description and
``task-*_bold.json`` for any subject, a subject's anatomy for any run. Labels compare as numbers when both are
integers, so ``runs=[1]`` matches ``run-01``.
"""

from __future__ import annotations

import re
from typing import Sequence

from neuroalign.errors.adapters import MissingDataError

_ENTITY = {"subjects": "sub", "sessions": "ses", "runs": "run"}


def entities(name: str) -> dict[str, str]:
    """The BIDS entities (``sub``, ``ses``, ``run``, ...) in a file's path; the deepest occurrence wins."""
    return {key: value for key, value in re.findall(r"(?:^|[/_])([a-z]+)-([A-Za-z0-9]+)(?=[_/.]|$)", name)}


def _same(a: str, b: str | int) -> bool:
    b = str(b)
    if a.isdigit() and b.isdigit():
        return int(a) == int(b)
    return a == b


def select_files(dataset_id: str, names: Sequence[str], *, subjects: Sequence[str | int] | None = None,
                 sessions: Sequence[str | int] | None = None, runs: Sequence[str | int] | None = None) -> list[str]:
    """The file names that belong to the chosen subjects, sessions and runs (None: all of them).

    Raises
    ------
    MissingDataError
        If a chosen value matches no file (the message lists the values that exist), so a typo never fetches
        nothing silently.
    """
    chosen = {"subjects": subjects, "sessions": sessions, "runs": runs}
    parsed = {name: entities(name) for name in names}
    for what, values in chosen.items():
        if values is None:
            continue
        present = sorted({e[_ENTITY[what]] for e in parsed.values() if _ENTITY[what] in e})
        unknown = [v for v in values if not any(_same(p, v) for p in present)]
        if unknown:
            raise MissingDataError(f"{dataset_id} has no {what} {', '.join(map(str, unknown))} "
                                   f"(its {what}: {', '.join(present) or 'none: its files carry no '}"
                                   f"{'' if present else _ENTITY[what] + '- entity'})")
    keep = []
    for name, found in parsed.items():
        if all(values is None or _ENTITY[what] not in found or any(_same(found[_ENTITY[what]], v) for v in values)
               for what, values in chosen.items()):
            keep.append(name)
    return keep
