"""Content keys: a sha256 over a canonical JSON document of everything that changes the numbers."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable, Mapping


def canonical_json(doc: Mapping[str, Any]) -> str:
    """``doc`` as JSON with sorted keys and no whitespace, so equal documents give equal strings."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def cache_key(doc: Mapping[str, Any]) -> str:
    """The hex sha256 of :func:`canonical_json` of ``doc``."""
    return hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()


def digest_sequence(items: Iterable[str]) -> str:
    """One sha256 over an ordered sequence of strings (ids, per-stimulus digests); order matters."""
    h = hashlib.sha256()
    for item in items:
        encoded = item.encode("utf-8")
        h.update(len(encoded).to_bytes(8, "little"))  # length prefix: ("ab", "c") != ("a", "bc")
        h.update(encoded)
    return h.hexdigest()
