"""Timestamps as ISO 8601 text in UTC, which sorts chronologically as plain text."""

from __future__ import annotations

from datetime import datetime, timezone


def utc_now() -> str:
    """The current time, e.g. ``"2026-11-29T07:30:00.123456+00:00"``."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def to_utc_iso(moment: datetime | str) -> str:
    """A moment as ISO 8601 text in UTC.

    Parameters
    ----------
    moment : datetime or str
        A time-zone-aware datetime, or ISO 8601 text with an offset or ``Z``.

    Returns
    -------
    str
        E.g. ``"2026-03-01T10:00:00.000000+00:00"``.

    Raises
    ------
    ValueError
        ``moment`` has no time zone: a naive time is ambiguous across machines.
    """
    if isinstance(moment, str):
        text = moment[:-1] + "+00:00" if moment.endswith("Z") else moment  # fromisoformat reads "Z" only >= 3.11
        moment = datetime.fromisoformat(text)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"started_at must carry a time zone (e.g. datetime.now(timezone.utc)); got {moment!r}")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
