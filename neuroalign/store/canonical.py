"""Plain JSON values from parameters and provenance: numpy scalars and arrays, tuples, sets and paths converted."""

from __future__ import annotations

import json
import math
import os
from typing import Any, Mapping

import numpy as np


def plain(value: Any, *, strict: bool = True) -> Any:
    """``value`` as nested dicts, lists, str, int, float, bool and None.

    Parameters
    ----------
    value : object
        A parameter or provenance value.
    strict : bool
        Raise :class:`TypeError` for a type with no exact JSON form (the request key must never depend on a
        ``str()`` that may include a memory address); when False such a value becomes its ``str()``, which is
        good enough for provenance.

    Returns
    -------
    object
        A value :func:`json.dumps` accepts. Mapping keys must be strings (when ``strict``; else they become their
        ``str()``).
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        # subclasses (numpy.float64, numpy.str_, IntEnum) become the built-in type so json sees one form
        return _builtin(value)
    if isinstance(value, np.generic):
        return plain(value.item(), strict=strict)
    if isinstance(value, np.ndarray):
        return plain(value.tolist(), strict=strict)
    if isinstance(value, Mapping):
        return {_key(k, strict): plain(v, strict=strict) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, strict=strict) for v in value]
    if isinstance(value, (set, frozenset)):
        items = [plain(v, strict=strict) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))  # a set has no order of its own
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if strict:
        raise TypeError(f"cannot use a {type(value).__name__} ({value!r:.60}) in a request key; convert it to a "
                        "str, number, bool, list or dict first")
    return str(value)


def _builtin(value: Any) -> Any:
    if value is None or type(value) in (bool, int, float, str):
        return value
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind(value)
    return value


def _key(key: Any, strict: bool) -> str:
    if not isinstance(key, str) and strict:
        # json.dumps would turn 1 into "1" silently, so {1: a} and {"1": a} would hash alike
        raise TypeError(f"mapping keys must be strings; got {key!r} ({type(key).__name__})")
    return str(key)


def canonical_json(value: Any) -> str:
    """The canonical JSON text of ``value``: sorted keys, no whitespace, ASCII, floats as their exact ``repr``.

    Non-finite floats are written as Python's ``NaN``/``Infinity`` tokens so that they stay distinct from
    ``null`` and from the strings ``"NaN"``.
    """
    return json.dumps(plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=True)


def strict_json(value: Any) -> str:
    """Standard JSON (no NaN tokens) of a provenance or null summary: non-finite floats become ``null``."""
    return json.dumps(_finite(plain(value, strict=False)), sort_keys=True, separators=(",", ":"), allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value
