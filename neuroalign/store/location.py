"""Where a results store lives: a file path (SQLite, the embedded default) or a ``postgresql://`` URL.

A URL can carry a password; whatever the store prints (messages, ``repr``) shows it as ``***``.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: URL schemes of a PostgreSQL store (libpq accepts both).
POSTGRES_SCHEMES = ("postgresql", "postgres")


def is_postgres_url(target: object) -> bool:
    """Whether ``target`` names a PostgreSQL store (``postgresql://...`` or ``postgres://...``).

    A path never does: ``Path`` objects and strings without such a scheme are SQLite files.
    """
    if not isinstance(target, str):
        return False
    scheme, sep, _ = target.partition("://")
    return bool(sep) and scheme.lower() in POSTGRES_SCHEMES


def redact_url(url: str) -> str:
    """``url`` with its password (in the user part or a ``password=`` parameter) replaced by ``***``.

    Examples
    --------
    >>> redact_url("postgresql://lab:s3cret@db.example:5432/scores")
    'postgresql://lab:***@db.example:5432/scores'
    """
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        name, colon, _ = user.partition(":")
        netloc = f"{name}{':***' if colon else ''}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, "***" if k.lower() == "password" else v) for k, v in pairs], safe="/:*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def describe_target(target: str | os.PathLike[str]) -> str:
    """What messages call a store: its path, or its URL without the password."""
    return redact_url(target) if is_postgres_url(target) else os.fspath(target)
