"""Feature-space alignment measures: CKA, the CCA family, shape metrics, neighbourhood alignment, predictivity, RSA.

>>> from neuroalign.metrics import get_metric
>>> get_metric("cka.linear")(x, y)  # doctest: +SKIP
"""

from neuroalign.metrics.base import INVARIANCES, Metric, MetricInfo, MetricInputError
from neuroalign.metrics.many import alignment_matrix
from neuroalign.metrics.registry import METRIC_FAMILIES, get_metric, metric_ids, register_metric

__all__ = ["INVARIANCES", "alignment_matrix", "METRIC_FAMILIES", "Metric", "MetricInfo", "MetricInputError", "get_metric", "metric_ids",
           "register_metric"]
