"""Conformance checks of a metric plugin: its factory gives Metrics that keep every declared promise numerically."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from neuroalign.plugins.check.invariances import TRANSFORMS, related_pair
from neuroalign.plugins.check.results import require
from neuroalign.plugins.contracts import require_callable
from neuroalign.plugins.resolve import PluginRecord

#: Random data sets each claim is tested on.
N_SEEDS = 3


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 + 1e-6 * abs(b)


def metrics_of(record: PluginRecord) -> list[Any]:
    """The measures to check: ``factory(rest)`` for each ``rest`` in ``factory.examples`` (default: None only)."""
    from neuroalign.metrics.base import Metric

    factory = record.obj
    require_callable(factory, "metric", record.id, "a factory(rest_of_id) -> Metric")
    out = []
    for rest in getattr(factory, "examples", (None,)):
        metric = factory(rest)
        require(isinstance(metric, Metric), f"factory({rest!r}) returned a {type(metric).__name__}, not a "
                                            "neuroalign.metrics.base.Metric")
        require(metric.info.id == record.id or metric.info.id.startswith(record.id + "."),
                f"factory({rest!r}) made a measure with id {metric.info.id!r}, outside the plugin's id {record.id!r}")
        out.append(metric)
    return out


def _claims(metric: Any, seed: int) -> list[str]:
    x, y = related_pair(seed)
    rng = np.random.default_rng(seed + 1000)
    value = metric(x, y)
    broken = [] if np.isfinite(value) else [f"value {value} is not finite"]
    for invariance in sorted(metric.info.invariances):
        transform = TRANSFORMS.get(invariance)
        for side, args in (("x", (transform(x, rng), y)), ("y", (x, transform(y, rng)))):
            changed = metric(*args)
            if not _close(changed, value):
                broken.append(f"declared {invariance} but {side} transformed changes {value:.6g} to {changed:.6g}")
    if metric.info.symmetric and not _close(metric(y, x), value):
        broken.append(f"declared symmetric but m(y, x) = {metric(y, x):.6g} != m(x, y) = {value:.6g}")
    if metric.info.kind == "distance" and not abs(metric(x, x)) <= 1e-6:
        broken.append(f"a distance, but m(x, x) = {metric(x, x):.6g} is not 0")
    return broken


def check_declared_properties(record: PluginRecord) -> str:
    """Every declared invariance, the symmetry and a distance's zero self-distance hold on random data."""
    checked = []
    for metric in metrics_of(record):
        broken = [claim for seed in range(N_SEEDS) for claim in _claims(metric, seed)]
        require(not broken, f"{metric.info.id}: {'; '.join(broken[:3])}")
        checked.append(f"{metric.info.id} ({', '.join(sorted(metric.info.invariances)) or 'no invariances'})")
    return "; ".join(checked)


#: (check name, check) pairs of a metric plugin.
METRIC_CHECKS: list[tuple[str, Callable[[PluginRecord], str]]] = [
    ("declared invariances and symmetry hold numerically", check_declared_properties)]
