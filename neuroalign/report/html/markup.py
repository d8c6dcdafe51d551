"""How the report writes numbers, intervals, JSON and in-page anchors (the templates escape the results)."""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

#: Shown where a number is missing.
MISSING = "-"


def compact_json(value: Any) -> str:
    """One line of JSON with sorted keys."""
    return json.dumps(value, sort_keys=True, separators=(", ", ": "), default=str)


def is_missing(value: Any) -> bool:
    """None, NaN or pandas' missing values."""
    if value is None:
        return True
    try:
        return bool(math.isnan(value))
    except (TypeError, ValueError):
        return str(value) in ("<NA>", "NaT")


def number(value: Any, digits: int = 3) -> str:
    """A number with ``digits`` decimals, or :data:`MISSING`."""
    return MISSING if is_missing(value) else f"{float(value):.{digits}f}"


def interval(bounds: Any, digits: int = 3) -> str:
    """``[low, high]`` of a ``(low, high)`` pair, or :data:`MISSING` when there is none or either bound is missing."""
    if bounds is None or any(is_missing(b) for b in bounds):
        return MISSING
    low, high = bounds
    return f"[{number(low, digits)}, {number(high, digits)}]"


def section_id(benchmark_id: str) -> str:
    """The ``id`` of a benchmark's section."""
    return f"benchmark-{benchmark_id}"


def anchor(prefix: str, name: str) -> str:
    """An ``id`` for ``name`` that is safe in a URL fragment: ``prefix-name``, with characters other than letters,
    digits, ``_.-`` replaced and a short hash added when any was (so two names never share an anchor)."""
    slug = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    if slug != name:
        slug += "-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]
    return f"{prefix}-{slug}"
