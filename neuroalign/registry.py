"""A small name -> object registry with helpful errors, used to dispatch by name instead of if/elif chains."""

from __future__ import annotations

import difflib
from typing import Generic, Iterable, Iterator, TypeVar

from neuroalign.errors import UnknownNameError

T = TypeVar("T")


def unknown_name_error(kind: str, name: str, known: Iterable[str], *, available: Iterable[str] | None = None
                       ) -> UnknownNameError:
    """An :class:`UnknownNameError` for ``name`` that suggests close matches among ``known``."""
    close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    listed = sorted(known if available is None else available)
    return UnknownNameError(f"unknown {kind} {name!r}.{hint} Available: {', '.join(listed)}.")


class Registry(Generic[T]):
    """Map stable names to objects of one kind.

    Parameters
    ----------
    kind : str
        What the registry holds, used in error messages (for example ``"distance"``).
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        self._aliases: dict[str, str] = {}

    def register(self, name: str, item: T, *, aliases: tuple[str, ...] = ()) -> T:
        """Register ``item`` under ``name`` (and optional aliases); return the item."""
        for key in (name, *aliases):
            if key in self._items or key in self._aliases:
                raise ValueError(f"{self.kind} {key!r} is already registered")
        self._items[name] = item
        for alias in aliases:
            self._aliases[alias] = name
        return item

    def unregister(self, name: str) -> T:
        """Remove the item registered under ``name`` (not an alias) and its aliases; return it.

        For code that registers an item for a while (a test, a session that unloads a plugin).

        Raises
        ------
        UnknownNameError
            If nothing is registered under ``name``.
        """
        if name not in self._items:
            raise unknown_name_error(self.kind, name, self._items)
        self._aliases = {alias: target for alias, target in self._aliases.items() if target != name}
        return self._items.pop(name)

    def canonical(self, name: str) -> str:
        """Return the registered name that ``name`` (a name or an alias) refers to."""
        if name in self._items:
            return name
        if name in self._aliases:
            return self._aliases[name]
        raise unknown_name_error(self.kind, name, [*self._items, *self._aliases], available=self._items)

    def get(self, name: str) -> T:
        """Return the item registered under ``name`` or an alias of it."""
        return self._items[self.canonical(name)]

    def names(self) -> list[str]:
        """Registered names (without aliases), sorted."""
        return sorted(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items or name in self._aliases

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())
