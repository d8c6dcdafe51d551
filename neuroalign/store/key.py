"""The request key: a sha256 that names one scored request, the same in every process and on every machine."""

from __future__ import annotations

import hashlib
from typing import Any, Mapping

from neuroalign.store.canonical import canonical_json

#: Bumped only if the key document changes; stored keys of an older format are recomputed by a migration.
KEY_FORMAT = 1


def as_label(name: str, value: Any, *, optional: bool = False) -> str | None:
    """A version or layer as text: an int becomes its decimal text, so ``3`` and ``"3"`` name the same request."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) or (value is None and optional):
        return value
    raise TypeError(f"{name} must be a string (or an int); got {value!r}")


def key_document(model_id: str, benchmark_id: str, benchmark_version: str, parameters: Mapping[str, Any], *,
                 kind: str = "score") -> dict[str, Any]:
    """The document :func:`request_key` hashes (before canonicalisation)."""
    return {"key_format": KEY_FORMAT, "model_id": model_id, "benchmark_id": benchmark_id,
            "benchmark_version": as_label("benchmark_version", benchmark_version), "kind": kind,
            "parameters": dict(parameters)}


def request_key(model_id: str, benchmark_id: str, benchmark_version: str, parameters: Mapping[str, Any], *,
                kind: str = "score") -> str:
    """The hex sha256 of the canonical JSON of a request.

    Parameters
    ----------
    model_id, benchmark_id, benchmark_version : str
        What was scored against what (an int version is keyed as its decimal text).
    parameters : mapping
        Everything else the caller asks for that changes the number: comparator, ceiling method, bootstrap size,
        seed, and the layer when each layer is its own request (a layer sweep). Keys must be strings; values may
        be JSON types, numpy scalars or arrays, tuples, sets or paths.
    kind : str
        The kind of result (``"score"``, ``"layer_sweep"``, ``"alignment"``, ...).

    Returns
    -------
    str
        64 hex characters.

    Notes
    -----
    The document is ``{"key_format": 1, "model_id", "benchmark_id", "benchmark_version", "kind", "parameters"}``
    written with sorted keys, no whitespace, ASCII only, and floats as their shortest exact
    ``repr`` (``0.1`` and ``0.1000000001`` differ; ``1`` and ``1.0`` differ). Numpy scalars become Python numbers,
    arrays nested lists, tuples lists, sets sorted lists. Dict order never matters. The stored ``layer`` and
    ``seed`` columns describe a result and are not hashed: a layer chosen by the benchmark is an outcome, not part
    of the request.

    Examples
    --------
    >>> request_key("m", "b", "1", {"a": 1, "b": 2.5}) == request_key("m", "b", "1", {"b": 2.5, "a": 1})
    True
    """
    text = canonical_json(key_document(model_id, benchmark_id, benchmark_version, parameters, kind=kind))
    return hashlib.sha256(text.encode("ascii")).hexdigest()
