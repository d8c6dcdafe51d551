"""Metric plugins are found by ``get_metric`` after the built-in families, by their id as a prefix."""

from __future__ import annotations

import pytest

from fake_dists import write_distribution
from neuroalign.errors import UnknownNameError
from neuroalign.metrics import get_metric, metric_ids

MEASURE = '''
"""A metric plugin whose factory records the rest of the id it was given."""


def factory(rest=None):
    """Scaled dot product of the first features (test measure)."""
    import torch

    from neuroalign.metrics.base import Metric, MetricInfo

    scale = 1.0 if rest is None else float(rest)

    class Dot(Metric):
        info = MetricInfo(id="lab.dot" if rest is None else f"lab.dot.{rest}", kind="similarity", symmetric=True,
                          is_metric=False)

        def compute(self, x, y):
            return scale * (x[:, 0] @ y[:, 0])

    return Dot()
'''


def test_plugin_metric_by_id_and_with_a_parameter(site):
    write_distribution(site, "lab-metrics", {"neuroalign.metrics": {"lab.dot": "lab_dot:factory"}},
                       {"lab_dot.py": MEASURE})
    x = [[1.0, 0.0], [2.0, 1.0], [3.0, 5.0]]
    assert get_metric("lab.dot")(x, x) == pytest.approx(14.0)
    metric = get_metric("lab.dot.2")
    assert metric.info.id == "lab.dot.2" and metric(x, x) == pytest.approx(28.0)
    assert "lab.dot" in metric_ids() and "cka.linear" in metric_ids()


def test_builtins_win_and_unknown_ids_suggest(site):
    write_distribution(site, "shadowing", {"neuroalign.metrics": {"cka.linear": "shadow_cka:factory"}},
                       {"shadow_cka.py": 'def factory(rest=None):\n    """Shadow."""\n    raise AssertionError\n'})
    assert type(get_metric("cka.linear")).__module__.startswith("neuroalign.metrics.")
    with pytest.raises(UnknownNameError, match="Did you mean 'cka.linear'"):
        get_metric("cka.lineer")
