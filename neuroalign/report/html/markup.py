"""Small HTML builders: every piece of text goes through :func:`html.escape`, markup is built from those pieces.

A function here takes plain text (escaped here) or markup a builder returned (``*_html`` arguments, trusted);
nothing else ever reaches the page unescaped.
"""

from __future__ import annotations

import html
import json
import math
from typing import Any, Iterable, Sequence

#: Shown where a number is missing.
MISSING = "-"

#: Elements without content or end tag.
VOID = frozenset({"br", "hr", "img", "meta"})


def esc(value: Any) -> str:
    """``str(value)`` escaped for HTML text and attribute values (quotes included)."""
    return html.escape(str(value), quote=True)


def element(tag: str, content_html: str = "", **attributes: Any) -> str:
    """``<tag attr="...">content</tag>``; attribute values are escaped (``class_`` gives ``class``), None skipped."""
    attrs = "".join(f' {name.rstrip("_").replace("_", "-")}="{esc(value)}"'
                    for name, value in attributes.items() if value is not None)
    if tag in VOID:
        return f"<{tag}{attrs}>"
    return f"<{tag}{attrs}>{content_html}</{tag}>"


def text(tag: str, value: Any, **attributes: Any) -> str:
    """An element holding escaped text."""
    return element(tag, esc(value), **attributes)


def table(headers: Sequence[str], rows_html: Iterable[Sequence[str]], **attributes: Any) -> str:
    """A table with a header row (plain text) and body rows of cell markup, one ``<tr>`` per row."""
    head = element("thead", element("tr", "".join(text("th", h, scope="col") for h in headers)))
    body = element("tbody", "".join(element("tr", "".join(element("td", c) for c in row)) for row in rows_html))
    return element("table", head + body, **attributes)


def definitions(items: Iterable[tuple[str, str]]) -> str:
    """A ``<dl>`` of ``(term, description markup)`` pairs."""
    return element("dl", "".join(text("dt", term) + element("dd", html_) for term, html_ in items))


def compact_json(value: Any) -> str:
    """One line of JSON with sorted keys, escaped in ``<code>``."""
    return text("code", json.dumps(value, sort_keys=True, separators=(", ", ": "), default=str))


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


def interval(low: Any, high: Any, digits: int = 3) -> str:
    """``[low, high]``, or :data:`MISSING` when either bound is missing."""
    if is_missing(low) or is_missing(high):
        return MISSING
    return f"[{number(low, digits)}, {number(high, digits)}]"


def section_id(benchmark_id: str) -> str:
    """The ``id`` of a benchmark's section."""
    return f"benchmark-{benchmark_id}"
