"""Resolve requested layer names (exact names or shell-style globs) against a model's available layers."""

from __future__ import annotations

import fnmatch
from typing import Iterable, Sequence

from neuroalign.registry import unknown_name_error

_GLOB_CHARS = frozenset("*?[")


def is_glob(pattern: str) -> bool:
    """Whether ``pattern`` uses glob syntax (``*``, ``?`` or ``[...]``)."""
    return any(c in _GLOB_CHARS for c in pattern)


def resolve_layers(requested: str | Iterable[str], available: Sequence[str]) -> tuple[str, ...]:
    """Expand and validate requested layers.

    Parameters
    ----------
    requested : str or iterable of str
        Exact layer names or glob patterns (``"_blocks.*"``, ``"hidden_states.[0-3]"``). A plain string is one
        pattern, not a sequence of characters.
    available : sequence of str
        The model's layer names, in model order.

    Returns
    -------
    tuple of str
        Unique layer names; exact names keep the order asked for, a glob expands in model order.

    Raises
    ------
    UnknownNameError
        For a name that is not a layer or a glob that matches none; the message lists close matches and the
        available layers.
    ValueError
        If nothing was requested.
    """
    patterns = [requested] if isinstance(requested, str) else list(requested)
    if not patterns:
        raise ValueError("no layers requested; pass layer names or glob patterns (see adapter.layers)")
    known = set(available)
    out: dict[str, None] = {}
    for pattern in patterns:
        if not is_glob(pattern):
            if pattern not in known:
                raise unknown_name_error("layer", pattern, available, available=_shown(available))
            out[pattern] = None
            continue
        matched = [name for name in available if fnmatch.fnmatchcase(name, pattern)]
        if not matched:
            raise unknown_name_error("layer pattern (no match)", pattern, available, available=_shown(available))
        out.update(dict.fromkeys(matched))
    return tuple(out)


def _shown(available: Sequence[str], limit: int = 60) -> list[str]:
    # A transformer has hundreds of modules; an error listing all of them buries the useful part.
    names = list(available)
    if len(names) <= limit:
        return names
    return names[:limit] + [f"... ({len(names) - limit} more; see adapter.layers)"]
