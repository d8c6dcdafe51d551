"""Selecting a dataset's recordings or RDMs by subject, session, ROI (any descriptor), with helpful errors."""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence, TypeVar

from neuroalign.registry import unknown_name_error

T = TypeVar("T")


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]


def available_values(descriptors: Sequence[Mapping[str, Any]]) -> dict[str, tuple[Any, ...]]:
    """Per descriptor key, the distinct values found across ``descriptors`` (in first-seen order)."""
    out: dict[str, dict[Any, None]] = {}
    for row in descriptors:
        for key, value in row.items():
            out.setdefault(key, {})[value] = None
    return {key: tuple(values) for key, values in out.items()}


def select_items(items: Sequence[T], descriptors: Callable[[T], Mapping[str, Any]], selection: Mapping[str, Any],
                 *, what: str) -> list[T]:
    """Items whose descriptors match every criterion of ``selection`` (a list value matches any of its entries).

    Raises
    ------
    UnknownNameError
        For a selector no item has, or a value no item has (close names are suggested).
    """
    rows = [descriptors(item) for item in items]
    available = available_values(rows)
    for key, wanted in selection.items():
        if key not in available:
            raise unknown_name_error(f"selector of {what}", key, available)
        for value in _as_list(wanted):
            if value not in available[key]:
                raise unknown_name_error(f"{key} of {what}", str(value), [str(v) for v in available[key]])
    return [item for item, row in zip(items, rows)
            if all(row.get(k) in _as_list(v) for k, v in selection.items())]
