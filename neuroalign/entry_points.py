"""Entry points: finding the plugins installed distributions register, and resolving one (base layer).

Every registry that third parties extend (dataset adapters, metric families, model ids, benchmarks) asks this
module for its group's entries; the plugin catalogue (:mod:`neuroalign.plugins`) lists and checks them. It reads the
installed distributions' metadata and imports only the light module an entry point names, so any layer may use it
(see docs/architecture.md).

A plugin whose module fails to import, or lacks the named attribute, is not an error here: it becomes a
:class:`PluginRecord` marked broken with the exception's type and message, so that one bad distribution never takes
the listing (or the other plugins) down with it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Iterable

from neuroalign.errors import BrokenPluginError, PluginConflictError, PluginContractError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

#: Plugin kinds, in the order listings show them.
KINDS = ("model", "dataset", "metric", "benchmark")

#: kind -> entry-point group that installed distributions register it in.
GROUPS = {kind: f"neuroalign.{kind}s" for kind in KINDS}


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
        from importlib.metadata import EntryPoint

        return EntryPoint(self.id, self.value, GROUPS[self.kind])


def _entry(kind: str, point: EntryPoint, names: dict[int, str]) -> PluginEntry:
    dist = point.dist
    if dist is None:
        return PluginEntry(kind, point.name, point.value, "?", "?")
    if id(dist) not in names:  # reading a distribution's name parses its METADATA file: once per distribution
        names[id(dist)] = dist.metadata["Name"] or "?"
    return PluginEntry(kind, point.name, point.value, names[id(dist)], dist.version)


def discover(kind: str | None = None) -> list[PluginEntry]:
    """The registered plugins of ``kind`` (all kinds when None), sorted by kind order, then id.

    Reads the installed distributions' ``entry_points.txt`` (once for all the kinds asked); no plugin module is
    imported. A distribution found twice on the path (an editable install next to a copy) is reported once, as
    :mod:`importlib.metadata` does.
    """
    # importlib.metadata (15 ms with the email package it reads metadata with) is imported here, not with this
    # module: the command line's parser needs KINDS, and `neuroalign --help` reads no metadata.
    from importlib.metadata import entry_points

    kinds = KINDS if kind is None else (kind,)
    every, names = entry_points(), {}  # one pass over the installed distributions, not one per group
    found = [_entry(k, point, names) for k in kinds for point in every.select(group=GROUPS[k])]
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


#: The distribution name shown for neuroalign's own built-in (not entry-point registered) items.
BUILTIN = "neuroalign"


@dataclass(frozen=True)
class PluginRecord:
    """One plugin as listings show it.

    Attributes
    ----------
    kind, id : str
        What it is and its id.
    description : str
        One line (empty for a broken plugin).
    distribution, version : str
        Who provides it.
    value : str or None
        The entry point's ``"module:attribute"``; None for a built-in item that is not an entry point.
    error : str or None
        ``"ExceptionType: message"`` when resolving failed; None when it worked.
    conflict : tuple of str
        Every distribution that registers the same id in the same group (empty when the id is unique).
    obj : object
        The resolved object (None when broken, or for a built-in item described without importing it).
    """

    kind: str
    id: str
    description: str
    distribution: str
    version: str
    value: str | None = None
    error: str | None = None
    conflict: tuple[str, ...] = ()
    obj: Any = None

    @property
    def broken(self) -> bool:
        """Whether resolving the entry point failed."""
        return self.error is not None

    @property
    def status(self) -> str:
        """``"ok"``, ``"broken: <error>"`` or ``"conflict: <distributions>"``, for listings."""
        if self.error is not None:
            return f"broken: {self.error}"
        if self.conflict:
            return f"conflict: {', '.join(self.conflict)}"
        return "ok"

    def get(self) -> Any:
        """The resolved object.

        Raises
        ------
        BrokenPluginError
            If the plugin failed to resolve (the message carries its error).
        PluginConflictError
            If several distributions register this id.
        """
        if self.conflict:
            raise PluginConflictError(f"{self.kind} {self.id!r} is registered by several distributions "
                                      f"({', '.join(self.conflict)}); uninstall all but one")
        if self.error is not None:
            raise BrokenPluginError(f"{self.kind} plugin {self.id!r} from {self.distribution} {self.version} "
                                    f"({self.value}) is broken: {self.error}")
        return self.obj


def first_line(text: str | None) -> str:
    """The first non-empty line of a docstring, stripped (empty when there is none)."""
    for line in inspect.cleandoc(text or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


def own_docstring(obj: Any) -> str:
    """The object's own docstring, dedented: a class does not borrow its base class's (as ``inspect.getdoc``
    would), so an undocumented plugin shows no description rather than a misleading one."""
    doc = getattr(obj, "__doc__", None)
    return inspect.cleandoc(doc) if isinstance(doc, str) else ""


def describe(obj: Any) -> str:
    """One line for listings: the object's string ``description`` attribute if it has one (benchmarks declare it),
    else the first line of its docstring."""
    declared = getattr(obj, "description", None)
    if isinstance(declared, str) and declared.strip():
        return first_line(declared)
    return first_line(own_docstring(obj))


def error_text(error: BaseException) -> str:
    """``"ExceptionType: message"``, how a broken plugin's error is reported."""
    return f"{type(error).__name__}: {error}"


def resolve(entry: PluginEntry) -> PluginRecord:
    """Import the entry point's module and attribute and describe the object; a failure makes a broken record.

    Every exception is caught on purpose: a plugin's module can fail in any way (a missing dependency, a syntax
    error, an exception at import), and listing must still show everything else.
    """
    try:
        obj = entry.entry_point().load()
    except Exception as error:  # noqa: BLE001 - any failure of third-party code marks that plugin broken
        return PluginRecord(entry.kind, entry.id, "", entry.distribution, entry.version, entry.value,
                            error=error_text(error))
    return PluginRecord(entry.kind, entry.id, describe(obj), entry.distribution, entry.version, entry.value, obj=obj)


def with_conflict(record: PluginRecord, distributions: list[str]) -> PluginRecord:
    """The record marked as conflicting with ``distributions`` (all providers of its id, itself included)."""
    return replace(record, conflict=tuple(distributions))


def require_callable(obj: Any, kind: str, plugin_id: str, what: str) -> None:
    """Raise :class:`PluginContractError` unless ``obj`` is callable (``what`` says what it should be)."""
    if not callable(obj):
        raise PluginContractError(f"{kind} plugin {plugin_id!r} resolves to a {type(obj).__name__}, not {what}")


def resolve_unique(kind: str, plugin_id: str) -> Any:
    """The object the entry point ``plugin_id`` of ``kind`` resolves to (callers check that :func:`discover` lists
    the id first, and raise their own unknown-name error when it does not).

    Raises
    ------
    BrokenPluginError, PluginConflictError
        For a plugin that fails to import, an id several distributions register.
    """
    entries = [e for e in discover(kind) if e.id == plugin_id]
    clashing = conflicts(entries)
    record = resolve(entries[0])
    if (kind, plugin_id) in clashing:
        record = with_conflict(record, clashing[(kind, plugin_id)])
    return record.get()
