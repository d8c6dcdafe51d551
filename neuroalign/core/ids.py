"""Stimulus ids: normalisation, uniqueness, and joins by id (never by position)."""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

import numpy as np

from neuroalign.errors import DuplicateStimulusError, StimulusMismatchError

_SHOWN = 10  # how many offending ids an error message lists before summarising


def _listing(ids: Sequence[str]) -> str:
    shown = ", ".join(repr(i) for i in ids[:_SHOWN])
    more = f" and {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else ""
    return shown + more


def normalize_ids(ids: Iterable[object], *, what: str = "stimulus_ids") -> tuple[str, ...]:
    """Return ``ids`` as a tuple of strings, rejecting duplicates and empty ids.

    Ids are compared as strings so that ``1`` and ``"1"`` name the same stimulus wherever they come from (a MATLAB
    index, a CSV column, a file name).

    Raises
    ------
    DuplicateStimulusError
        If an id occurs more than once (the message names the repeated ids).
    """
    if isinstance(ids, (str, bytes)):
        raise TypeError(f"{what} must be a sequence of ids, not a single string")
    out = tuple(str(i.decode() if isinstance(i, bytes) else i) for i in ids)
    if any(i == "" for i in out):
        raise StimulusMismatchError(f"{what} contains an empty id")
    if len(set(out)) != len(out):
        dups = [i for i, n in Counter(out).items() if n > 1]
        raise DuplicateStimulusError(f"{what} contains duplicate ids: {_listing(dups)}")
    return out


def positions(source: Sequence[str], target: Sequence[str], *, source_name: str = "data") -> np.ndarray:
    """Indices into ``source`` that produce ``target`` (select and reorder by id).

    Raises
    ------
    StimulusMismatchError
        If a target id is absent from ``source`` (the message names them).
    """
    index = {sid: k for k, sid in enumerate(source)}
    missing = [t for t in target if t not in index]
    if missing:
        raise StimulusMismatchError(f"{source_name} has no stimulus with id {_listing(missing)}")
    return np.fromiter((index[t] for t in target), dtype=np.intp, count=len(target))


def require_same_ids(a: Sequence[str], b: Sequence[str], *, a_name: str = "first", b_name: str = "second") -> None:
    """Raise unless ``a`` and ``b`` hold the same set of ids (order may differ).

    Raises
    ------
    StimulusMismatchError
        Naming the ids only in ``a`` and the ids only in ``b``.
    """
    only_a = [i for i in a if i not in set(b)]
    only_b = [i for i in b if i not in set(a)]
    if only_a or only_b:
        parts = []
        if only_a:
            parts.append(f"only in {a_name}: {_listing(only_a)}")
        if only_b:
            parts.append(f"only in {b_name}: {_listing(only_b)}")
        raise StimulusMismatchError("stimulus ids differ; " + "; ".join(parts))
