"""Resolve requested layer names (exact names or dotted glob patterns) against a model's available layers.

The pattern grammar (also used by the keys of a ``pooling`` mapping), for layer names whose dots separate levels
of the module tree (``_blocks.3._bn0`` is a child of ``_blocks.3``, itself a child of ``_blocks``):

- ``*`` matches any characters within one level: ``"_blocks.*"`` is ``_blocks.0`` ... ``_blocks.15`` (the direct
  children), not ``_blocks.3._bn0``; ``"layer*"`` is ``layer1``, ``layer2``... not ``layer1.0``;
- ``?`` matches one character and ``[...]`` one character of a set (``[!...]``: not in the set), never a dot:
  ``"_blocks.1[0-3]"`` is ``_blocks.10`` ... ``_blocks.13``;
- ``**``, as a whole level, matches one or more levels: ``"_blocks.**"`` is every module below ``_blocks``,
  ``"**._bn0"`` every ``_bn0`` at any depth;
- anything else matches itself; a name without ``*``, ``?`` or ``[`` is an exact layer name.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from typing import Iterable, Sequence

from neuroalign.registry import unknown_name_error

_GLOB_CHARS = frozenset("*?[")


def is_glob(pattern: str) -> bool:
    """Whether ``pattern`` uses glob syntax (``*``, ``?`` or ``[...]``)."""
    return any(c in _GLOB_CHARS for c in pattern)


def _level_regex(level: str) -> str:
    """The regular expression of one level (no dots) of a pattern; no wildcard ever matches a dot."""
    if level == "**":
        return r"[^.]+(?:\.[^.]+)*"
    out, i = [], 0
    while i < len(level):
        c = level[i]
        end = _class_end(level, i) if c == "[" else -1
        if c == "*":
            out.append("[^.]*")
        elif c == "?":
            out.append("[^.]")
        elif end > 0:
            body = level[i + 1:end]
            negate = body.startswith("!")
            chars = "".join(ch if ch == "-" else re.escape(ch) for ch in (body[1:] if negate else body))
            out.append(f"[^{chars}.]" if negate else f"[{chars}]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def _class_end(level: str, start: int) -> int:
    """The index of the ``]`` closing the set that opens at ``start``, or -1 (then ``[`` is a literal)."""
    j = start + 1
    if j < len(level) and level[j] == "!":
        j += 1
    if j < len(level) and level[j] == "]":  # a ']' first in the set is a member
        j += 1
    return level.find("]", j)


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(r"\.".join(f"(?:{_level_regex(level)})" for level in pattern.split(".")) + r"\Z")


def layer_matches(pattern: str, name: str) -> bool:
    """Whether layer ``name`` matches ``pattern`` (the grammar is in this module's docstring).

    Examples
    --------
    >>> layer_matches("_blocks.*", "_blocks.3"), layer_matches("_blocks.*", "_blocks.3._bn0")
    (True, False)
    >>> layer_matches("_blocks.**", "_blocks.3._bn0"), layer_matches("_blocks.1[0-3]", "_blocks.12")
    (True, True)
    """
    return _compiled(pattern).match(name) is not None


def resolve_layers(requested: str | Iterable[str], available: Sequence[str]) -> tuple[str, ...]:
    """Expand and validate requested layers.

    Parameters
    ----------
    requested : str or iterable of str
        Exact layer names or glob patterns (``"_blocks.*"``: the direct children of ``_blocks``;
        ``"hidden_states.[0-3]"``; ``"_blocks.**"``: every level below; see :func:`layer_matches`). A plain string
        is one pattern, not a sequence of characters.
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
        available layers, and says when the pattern would match deeper levels with ``**``.
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
        matched = [name for name in available if layer_matches(pattern, name)]
        if not matched:
            deeper = any(fnmatch.fnmatchcase(name, pattern) for name in available)
            kind = ("layer pattern (no match: '*' stays within one level between dots; write '**' for deeper "
                    "levels)" if deeper else "layer pattern (no match)")
            raise unknown_name_error(kind, pattern, available, available=_shown(available))
        out.update(dict.fromkeys(matched))
    return tuple(out)


def _shown(available: Sequence[str], limit: int = 60) -> list[str]:
    # A transformer has hundreds of modules; an error listing all of them buries the useful part.
    names = list(available)
    if len(names) <= limit:
        return names
    return names[:limit] + [f"... ({len(names) - limit} more; see adapter.layers)"]
