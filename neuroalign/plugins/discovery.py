"""Finding the registered plugins from installed distributions' metadata, without importing any of them."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Iterable

from neuroalign.plugins.groups import GROUPS, KINDS


@dataclass(frozen=True)
class PluginEntry:
    """One registered plugin as its distribution's metadata declares it (nothing imported yet).

    Attributes
    ----------
    kind : str
        ``"model"``, ``"dataset"``, ``"metric"`` or ``"benchmark"``.
    id : str
        The entry point's name.
    value : str
        ``"module:attribute"``.
    distribution, version : str
        The distribution that registers it, and its version.
    """

    kind: str
    id: str
    value: str
    distribution: str
    version: str

    @property
    def module(self) -> str:
        """The module the entry point names (imported when the plugin is resolved)."""
        return self.value.partition(":")[0].strip()

    def entry_point(self) -> EntryPoint:
        """The :class:`importlib.metadata.EntryPoint` to resolve."""
        return EntryPoint(self.id, self.value, GROUPS[self.kind])


def _entry(kind: str, point: EntryPoint) -> PluginEntry:
    dist = point.dist
    name = dist.metadata["Name"] if dist is not None else "?"
    return PluginEntry(kind, point.name, point.value, name or "?", dist.version if dist is not None else "?")


def discover(kind: str | None = None) -> list[PluginEntry]:
    """The registered plugins of ``kind`` (all kinds when None), sorted by kind order, then id.

    Reads the installed distributions' ``entry_points.txt``; no plugin module is imported. A distribution found
    twice on the path (an editable install next to a copy) is reported once, as :mod:`importlib.metadata` does.
    """
    kinds = KINDS if kind is None else (kind,)
    found = [_entry(k, point) for k in kinds for point in entry_points(group=GROUPS[k])]
    return sorted(found, key=lambda e: (KINDS.index(e.kind), e.id, e.distribution))


def conflicts(items: Iterable[Any]) -> dict[tuple[str, str], list[str]]:
    """``(kind, id) -> distributions`` for every id that more than one distribution provides in a group.

    ``items`` are anything with ``kind``, ``id`` and ``distribution`` (entries, or listing records with built-ins).
    """
    providers: dict[tuple[str, str], list[str]] = {}
    for item in items:
        names = providers.setdefault((item.kind, item.id), [])
        if item.distribution not in names:
            names.append(item.distribution)
    return {key: names for key, names in providers.items() if len(names) > 1}
