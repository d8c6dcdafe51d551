"""Feature-space alignment measures: CKA, the CCA family, shape metrics, neighbourhood alignment, predictivity, RSA.

>>> from neuroalign.metrics import get_metric
>>> get_metric("cka.linear")(x, y)  # doctest: +SKIP

The registry (:func:`get_metric`, :func:`register_metric`, :data:`METRIC_FAMILIES`) imports no torch; the measures
themselves do, when first used.
"""

from __future__ import annotations

from typing import Any

from neuroalign.metrics.registry import METRIC_FAMILIES, MetricFamily, get_metric, metric_families, metric_ids
from neuroalign.metrics.registry import register_metric

__all__ = ["INVARIANCES", "alignment_matrix", "METRIC_FAMILIES", "Metric", "MetricFamily", "MetricInfo",
           "MetricInputError", "get_metric", "metric_families", "metric_ids", "permutation_test_metric",
           "register_metric", "split_half_reliability"]

#: Names imported on first access: their modules import torch (or, for the significance tests, the statistics).
_LAZY = {"INVARIANCES": "neuroalign.metrics.base", "Metric": "neuroalign.metrics.base",
         "MetricInfo": "neuroalign.metrics.base", "MetricInputError": "neuroalign.metrics.base",
         "alignment_matrix": "neuroalign.metrics.many",
         "permutation_test_metric": "neuroalign.metrics.significance",
         "split_half_reliability": "neuroalign.metrics.significance"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'neuroalign.metrics' has no attribute {name!r}")
