"""Stimulus ids: normalisation, uniqueness, and joins by id (never by position)."""

from __future__ import annotations

import sys
from collections import Counter
from typing import TYPE_CHECKING, Iterable, Sequence

from neuroalign.errors import DuplicateStimulusError, StimulusMismatchError

if TYPE_CHECKING:
    import numpy as np

_SHOWN = 10  # how many offending ids an error message lists before summarising


def _listing(ids: Sequence[str]) -> str:
    shown = ", ".join(repr(i) for i in ids[:_SHOWN])
    more = f" and {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else ""
    return shown + more


def _problem(value: object) -> str | None:
    """Why ``value`` cannot be a stimulus id, or ``None`` when it can."""
    import numpy as np

    if value is None:
        return "is None"
    if isinstance(value, (float, np.floating)) and value != value:
        return "is NaN"
    # pandas' missing markers can only exist once pandas is imported: look them up there rather than import pandas
    # (half a second) into every command that touches an id, such as `neuroalign list`.
    pd = sys.modules.get("pandas")
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return f"is {value!r}"
    if isinstance(value, (np.ndarray, list, tuple, set, dict)):
        kind = f"NumPy array of shape {value.shape}" if isinstance(value, np.ndarray) else \
            f"{type(value).__name__} of {len(value)} entries"
        return (f"is a {kind}, not one id (a MATLAB cell array or a column of a table? pass "
                "a flat sequence of ids: np.ravel(...), or read MATLAB ids with "
                "neuroalign.datasets.loaders.rdm_files.matlab_ids)")
    return None


def normalize_ids(ids: Iterable[object], *, what: str = "stimulus_ids") -> tuple[str, ...]:
    """Return ``ids`` as a tuple of strings, rejecting missing, empty and duplicate ids.

    Ids are compared as strings so that ``1`` and ``"1"`` name the same stimulus wherever they come from (a MATLAB
    index, a CSV column, a file name); ``1.0`` is ``"1.0"``, another id.

    Raises
    ------
    StimulusMismatchError
        If an id is ``None``, NaN (a missing cell of a table), empty, or not a single value (an array or list);
        the message names its position.
    DuplicateStimulusError
        If an id occurs more than once (the message names the repeated ids, and the values that collide when
        they differ only by type, like ``1`` and ``"1"``).
    """
    if isinstance(ids, (str, bytes)):
        raise TypeError(f"{what} must be a sequence of ids, not a single string")
    raw = list(ids)
    for k, value in enumerate(raw):
        problem = _problem(value)
        if problem is not None:
            raise StimulusMismatchError(f"{what}[{k}] {problem}: every stimulus needs an id")
    out = tuple(str(i.decode() if isinstance(i, bytes) else i) for i in raw)
    empty = [k for k, i in enumerate(out) if i == ""]
    if empty:
        raise StimulusMismatchError(f"{what}[{empty[0]}] is an empty id: every stimulus needs an id")
    if len(set(out)) != len(out):
        dups = [i for i, n in Counter(out).items() if n > 1]
        raise DuplicateStimulusError(f"{what} contains duplicate ids: {_listing(dups)}{_type_note(raw, out, dups)}")
    return out


def _type_note(raw: list[object], out: tuple[str, ...], dups: list[str]) -> str:
    """Say which originals collide when they differ only by type (``1`` and ``"1"``)."""
    for dup in dups:
        originals = list(dict.fromkeys(repr(r) for r, o in zip(raw, out) if o == dup))
        if len(originals) > 1:
            return f" ({' and '.join(originals)} are the same id: ids are compared as strings)"
    return ""


def positions(source: Sequence[str], target: Sequence[str], *, source_name: str = "data") -> np.ndarray:
    """Indices into ``source`` that produce ``target`` (select and reorder by id).

    Raises
    ------
    StimulusMismatchError
        If a target id is absent from ``source`` (the message names them).
    """
    import numpy as np

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
