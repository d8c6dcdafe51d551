"""The registry of alignment measures, with parametrised ids (``cca.svcca.0.99``, ``knn.mutual.10``).

A family registers a factory under its prefix; ``get_metric("knn.mutual.10")`` finds the longest registered
prefix (``knn.mutual``) and passes the rest of the id (``"10"``; ``"0.99"`` for ``cca.svcca.0.99``) to the factory
as one string, or ``None`` when there is no rest.
"""

from __future__ import annotations

import importlib
from typing import Callable

from neuroalign.metrics.base import Metric
from neuroalign.registry import Registry, unknown_name_error

#: prefix -> factory(rest of the id or None) -> Metric
METRIC_FAMILIES: Registry[Callable[..., Metric]] = Registry("metric")

#: Modules of the built-in families; each registers itself when imported. They are imported on the first lookup,
#: not with ``neuroalign.metrics``, so that the package stays cheap to import and free of import cycles.
BUILTIN_FAMILY_MODULES = ("cka", "cca", "shape", "knn", "predictivity", "rsa")

#: family module -> the missing dependency that kept it from loading (reported when one of its ids is asked for)
_UNAVAILABLE: dict[str, ModuleNotFoundError] = {}


def _load_builtins() -> None:
    for name in BUILTIN_FAMILY_MODULES:
        if name in _UNAVAILABLE:
            continue
        module = f"neuroalign.metrics.{name}"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as err:
            # A family whose optional dependency is missing must not take the other families down with it.
            if err.name != module:
                _UNAVAILABLE[name] = err


def register_metric(prefix: str, factory: Callable[..., Metric]) -> Callable[..., Metric]:
    """Register a family of measures under ``prefix``; the factory receives the rest of the id (or ``None``)."""
    return METRIC_FAMILIES.register(prefix, factory)


def get_metric(metric_id: str) -> Metric:
    """The measure named by ``metric_id`` (a registered prefix, optionally followed by parameters).

    The built-in families are searched first, then the ``neuroalign.metrics`` entry points (the plugin whose id is
    the longest prefix of ``metric_id`` gets the rest of the id).

    Raises
    ------
    UnknownNameError
        If no family or plugin has a prefix of ``metric_id`` (close matches suggested).
    """
    _load_builtins()
    parts = metric_id.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in METRIC_FAMILIES:
            rest = ".".join(parts[cut:]) or None
            return METRIC_FAMILIES.get(prefix)(rest)
    if parts[0] in _UNAVAILABLE:
        err = _UNAVAILABLE[parts[0]]
        raise ModuleNotFoundError(f"{metric_id}: the {parts[0]} measures need {err.name!r}, which is not "
                                  "installed", name=err.name) from err
    from neuroalign.plugins.catalog import metric_factory, plugin_ids

    # Installed plugins come after the built-ins: a plugin cannot shadow a built-in id (listings flag the clash).
    found = metric_factory(metric_id)
    if found is not None:
        factory, rest = found
        return factory(rest)
    raise unknown_name_error("metric", metric_id, {*METRIC_FAMILIES.names(), *plugin_ids("metric")})


def metric_ids() -> list[str]:
    """Registered family prefixes, built-in and from installed metric plugins."""
    from neuroalign.plugins.catalog import plugin_ids

    _load_builtins()
    return sorted({*METRIC_FAMILIES.names(), *plugin_ids("metric")})
