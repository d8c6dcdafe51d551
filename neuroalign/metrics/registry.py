"""The registry of alignment measures, with parametrised ids (``cca.svcca.0.99``, ``knn.mutual.10``).

A family registers a factory under its prefix; ``get_metric("knn.mutual.10")`` finds the longest registered
prefix (``knn.mutual``) and passes the rest of the id (``"10"``; ``"0.99"`` for ``cca.svcca.0.99``) to the factory
as one string, or ``None`` when there is no rest.
"""

from __future__ import annotations

from typing import Callable

from neuroalign.metrics.base import Metric
from neuroalign.registry import Registry

#: prefix -> factory(rest of the id or None) -> Metric
METRIC_FAMILIES: Registry[Callable[..., Metric]] = Registry("metric")


def register_metric(prefix: str, factory: Callable[..., Metric]) -> Callable[..., Metric]:
    """Register a family of measures under ``prefix``; the factory receives the rest of the id (or ``None``)."""
    return METRIC_FAMILIES.register(prefix, factory)


def get_metric(metric_id: str) -> Metric:
    """The measure named by ``metric_id`` (a registered prefix, optionally followed by parameters)."""
    parts = metric_id.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in METRIC_FAMILIES:
            rest = ".".join(parts[cut:]) or None
            return METRIC_FAMILIES.get(prefix)(rest)
    METRIC_FAMILIES.canonical(metric_id)  # raises UnknownNameError with close matches
    raise AssertionError("unreachable")


def metric_ids() -> list[str]:
    """Registered family prefixes."""
    return METRIC_FAMILIES.names()
