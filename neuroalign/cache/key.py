"""Content keys: a sha256 over a canonical JSON document of everything that changes the numbers."""

from __future__ import annotations

import hashlib
from typing import Any, Iterable, Mapping

from neuroalign.utils.canonical import canonical_json as _canonical


def canonical_json(doc: Mapping[str, Any]) -> str:
    """``doc`` as canonical JSON (:mod:`neuroalign.utils.canonical`; a value with no JSON form becomes its text)."""
    return _canonical(doc, strict=False)


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
