"""The registry of alignment measures, with parametrised ids (``cca.svcca.0.99``, ``knn.mutual.10``).

A family is a :class:`MetricFamily` entry under its prefix: its factory and its one-line description.
``get_metric("knn.mutual.10")`` finds the longest registered prefix (``knn.mutual``) and passes the rest of the id
(``"10"``; ``"0.99"`` for ``cca.svcca.0.99``) to the factory as one string, or ``None`` when there is no rest.

A factory may be given as ``"module:attribute"``, the form of an entry point's value, and is imported on first
use: that is how the built-in families register (:mod:`neuroalign.metrics.families`), so that listing them, with
their descriptions, imports no torch.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable

from neuroalign.entry_points import discover, require_callable, resolve_unique
from neuroalign.registry import Registry, unknown_name_error

if TYPE_CHECKING:
    from neuroalign.metrics.base import Metric

Factory = Callable[[str | None], "Metric"]


@dataclass(frozen=True)
class MetricFamily:
    """A registered family of measures: everything about its prefix.

    Attributes
    ----------
    prefix : str
        The id prefix (``"cka.linear"``, ``"knn.mutual"``, ``"rsa"``).
    factory : callable or str
        ``factory(rest of the id or None) -> Metric``, or ``"module:attribute"`` naming it (imported on first use).
    description : str
        One line for listings (``neuroalign list metrics``); a measure the factory builds without a description of
        its own gets this one.
    """

    prefix: str
    factory: Factory | str
    description: str = ""
    _loaded: list = field(default_factory=list, init=False, repr=False, compare=False)

    def load(self) -> Factory:
        """The factory (importing its module the first time, when it was given as ``"module:attribute"``).

        Raises
        ------
        ModuleNotFoundError
            When the module needs a dependency that is not installed (the message names the family).
        """
        if not isinstance(self.factory, str):
            return self.factory
        if not self._loaded:
            module, _, attribute = self.factory.partition(":")
            try:
                loaded = getattr(importlib.import_module(module), attribute)
            except ModuleNotFoundError as err:
                if err.name == module:
                    raise
                raise ModuleNotFoundError(f"{self.prefix}: the measure needs {err.name!r}, which is not installed",
                                          name=err.name) from err
            self._loaded.append(loaded)
        return self._loaded[0]

    def __call__(self, rest: str | None) -> "Metric":
        metric = self.load()(rest)
        if not metric.info.description and self.description:
            metric.info = replace(metric.info, description=self.description)
        return metric


#: prefix -> :class:`MetricFamily`
METRIC_FAMILIES: Registry[MetricFamily] = Registry("metric")


def register_metric(prefix: str, factory: Factory | str, *, description: str | None = None) -> MetricFamily:
    """Register a family of measures under ``prefix``; the factory receives the rest of the id (or ``None``).

    Parameters
    ----------
    prefix : str
        The id prefix.
    factory : callable or str
        The factory, or ``"module:attribute"`` naming it (imported on first use).
    description : str, optional
        One line for listings; by default the first line of the factory's docstring (required for a factory given
        by name, so that listing imports nothing).

    Raises
    ------
    ValueError
        If ``prefix`` is taken, or a factory given by name has no description.
    """
    if description is None:
        if isinstance(factory, str):
            raise ValueError(f"metric family {prefix!r}: a factory given by name needs a description")
        description = (factory.__doc__ or "").strip().splitlines()[0] if factory.__doc__ else ""
    return METRIC_FAMILIES.register(prefix, MetricFamily(prefix, factory, description))


def _load_builtins() -> None:
    import neuroalign.metrics.families  # noqa: F401  (registers the built-in families: light, imports no torch)


def get_metric(metric_id: str) -> "Metric":
    """The measure named by ``metric_id`` (a registered prefix, optionally followed by parameters).

    The built-in families are searched first, then the ``neuroalign.metrics`` entry points (the plugin whose id is
    the longest prefix of ``metric_id`` gets the rest of the id).

    Raises
    ------
    UnknownNameError
        If no family or plugin has a prefix of ``metric_id`` (close matches suggested).
    ModuleNotFoundError
        If the family's module needs a dependency that is not installed.
    """
    _load_builtins()
    parts = metric_id.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in METRIC_FAMILIES:
            rest = ".".join(parts[cut:]) or None
            return METRIC_FAMILIES.get(prefix)(rest)
    # Installed plugins come after the built-ins: a plugin cannot shadow a built-in id (listings flag the clash).
    found = metric_factory(metric_id)
    if found is not None:
        factory, rest = found
        return factory(rest)
    raise unknown_name_error("metric", metric_id, metric_ids())


def _plugin_ids() -> set[str]:
    return {entry.id for entry in discover("metric")}


def metric_factory(metric_id: str) -> tuple[Callable[[str | None], "Metric"], str | None] | None:
    """The plugin factory whose id is the longest dotted prefix of ``metric_id``, and the rest of the id.

    Returns None when no metric plugin (entry point of ``neuroalign.metrics``) matches: the caller then reports
    the unknown id. :func:`get_metric` asks after the built-in families.

    Raises
    ------
    BrokenPluginError, PluginConflictError, PluginContractError
        For a plugin that fails to import, an id several distributions register, a factory that is not callable.
    """
    parts = metric_id.split(".")
    ids = _plugin_ids()
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in ids:
            factory = resolve_unique("metric", prefix)
            require_callable(factory, "metric", prefix, "a factory(rest_of_id) -> Metric")
            return factory, ".".join(parts[cut:]) or None
    return None


def metric_families() -> list[MetricFamily]:
    """The registered families (built-in first loaded), sorted by prefix; nothing heavy is imported."""
    _load_builtins()
    return [METRIC_FAMILIES.get(prefix) for prefix in METRIC_FAMILIES.names()]


def metric_ids() -> list[str]:
    """Registered family prefixes, built-in and from installed metric plugins."""
    _load_builtins()
    return sorted({*METRIC_FAMILIES.names(), *_plugin_ids()})
