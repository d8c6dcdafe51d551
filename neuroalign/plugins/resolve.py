"""Resolving a registered plugin (importing only the light module its entry point names) and describing it.

A plugin whose module fails to import, or lacks the named attribute, is not an error here: it becomes a
:class:`PluginRecord` marked broken with the exception's type and message, so that one bad distribution never takes
the listing (or the other plugins) down with it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, replace
from typing import Any

from neuroalign.plugins.discovery import PluginEntry
from neuroalign.plugins.errors import BrokenPluginError, PluginConflictError

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
