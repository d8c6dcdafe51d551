"""Canonical JSON: the one text form of a document that is hashed into a key or a content digest.

Every hash of a document goes through :func:`canonical_json`, under one set of rules:

- mapping keys sorted; no whitespace; ASCII only (other characters escaped);
- numpy scalars become Python numbers, arrays nested lists, tuples lists, paths their text, subclasses of
  ``bool``/``int``/``float``/``str`` the built-in value; a set becomes a list sorted by the JSON text of its items;
- floats are written as their shortest exact ``repr`` (``0.1`` and ``0.1000000001`` differ; ``1`` and ``1.0``
  differ); non-finite floats as Python's ``NaN``/``Infinity`` tokens, distinct from ``null`` and from strings;
- ``strict``: a mapping key that is not a string, or a value of a type with no exact JSON form, is an error (a
  request key must never depend on a ``str()`` that may hold a memory address); otherwise such a value becomes its
  ``str()`` and such a key its ``str()``.

Users: the results store's request keys (:mod:`neuroalign.store.key`), the activation cache's content keys
(:mod:`neuroalign.cache.key`) and sealed headers, the alignment sources' fingerprints. For every document those
write today the text is the one each wrote before the rules were unified, so no stored key changed
(``tests/utils/test_canonical.py`` pins them).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from typing import Any, Mapping

import numpy as np

#: ``separators`` of the canonical text; :data:`SPACED` is json's default, kept for digests written with it.
COMPACT, SPACED = (",", ":"), (", ", ": ")


def plain(value: Any, *, strict: bool = True) -> Any:
    """``value`` as nested dicts, lists, str, int, float, bool and None (the rules of the module docstring).

    Parameters
    ----------
    value : object
        A parameter, key document or provenance value.
    strict : bool
        Raise :class:`TypeError` for a type with no exact JSON form or a mapping key that is not a string; when
        False such a value (or key) becomes its ``str()``.

    Returns
    -------
    object
        A value :func:`json.dumps` accepts.
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


def canonical_json(value: Any, *, strict: bool = True, separators: tuple[str, str] = COMPACT) -> str:
    """The canonical JSON text of ``value`` (see the module docstring for the rules).

    Parameters
    ----------
    value : object
    strict : bool
        As for :func:`plain`.
    separators : tuple of str
        :data:`COMPACT` (the rule); :data:`SPACED` only where a stored digest was written with json's default
        spacing (the alignment sources' fingerprints), so that it stays the same.

    Examples
    --------
    >>> canonical_json({"b": (1, 2.5), "a": {3, 1}})
    '{"a":[1,3],"b":[1,2.5]}'
    """
    return json.dumps(plain(value, strict=strict), sort_keys=True, separators=separators, ensure_ascii=True,
                      allow_nan=True)


def digest(value: Any, *, strict: bool = True, separators: tuple[str, str] = COMPACT) -> str:
    """The hex sha256 of :func:`canonical_json` of ``value``."""
    return hashlib.sha256(canonical_json(value, strict=strict, separators=separators).encode("ascii")).hexdigest()


def strict_json(value: Any) -> str:
    """Standard JSON (no NaN tokens) of a provenance or null summary: non-finite floats become ``null``.

    Not for hashing: for stored documents other tools read (standard JSON has no NaN).
    """
    return json.dumps(_finite(plain(value, strict=False)), sort_keys=True, separators=COMPACT, allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value
