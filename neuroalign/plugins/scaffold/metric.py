"""The metric template: a Metric subclass with declared invariances, behind a light factory."""

from __future__ import annotations

from string import Template

from neuroalign.plugins.scaffold.layout import Files, KindTemplate, render
from neuroalign.plugins.scaffold.names import PluginNames

INIT = Template('''\
"""$id: Pearson correlation of two representations' Euclidean distances (a metric plugin template).

This module is what the entry point names and stays light: :mod:`neuroalign.metrics` imports torch, so the measure
class lives in :mod:`$package.measure`, imported inside :func:`factory`.

>>> from neuroalign.metrics import get_metric
>>> get_metric("$id")(x, y)                                      # doctest: +SKIP
"""

from __future__ import annotations


def factory(rest: str | None = None):
    """$id: Pearson correlation of the two representations' Euclidean distance vectors (a similarity).

    Parameters
    ----------
    rest : str or None
        What follows ``$id.`` in the requested id; this measure takes no parameter, so it must be None.

    Returns
    -------
    Metric
    """
    from neuroalign.metrics.base import MetricInputError

    from $package.measure import DistanceCorrelation

    if rest is not None:
        raise MetricInputError(f"$id takes no parameter; got '$id.{rest}'")
    return DistanceCorrelation()
''')

MEASURE = Template('''\
"""The measure of $id: Pearson correlation between the condensed Euclidean distance matrices of x and y."""

from __future__ import annotations

import torch

from neuroalign.metrics.base import Metric, MetricInfo


def _distances(z: torch.Tensor) -> torch.Tensor:
    rows, cols = torch.triu_indices(z.shape[0], z.shape[0], offset=1)
    return torch.cdist(z, z)[rows, cols]


class DistanceCorrelation(Metric):
    """Pearson correlation of the stimulus-pair Euclidean distances of two representations.

    Distances do not change under rotations, reflections, feature permutations or translations of a
    representation, and a common scale factor does not change a correlation: those are the declared invariances.
    An invertible linear map distorts distances, so it is not one.
    """

    info = MetricInfo(id="$id", kind="similarity", symmetric=True, is_metric=False,
                      invariances=frozenset({"orthogonal", "isotropic_scaling", "permutation", "translation"}),
                      min_samples=3, description="Pearson correlation of Euclidean distance vectors")

    def compute(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The correlation as a 0-d float64 tensor."""
        dx, dy = _distances(x), _distances(y)
        dx, dy = dx - dx.mean(), dy - dy.mean()
        return (dx @ dy) / torch.sqrt((dx @ dx) * (dy @ dy))
''')

TESTS = Template('''\
"""Tests of the $id metric plugin (run with ``python -m pytest tests`` after installing the plugin)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.metrics import get_metric
from neuroalign.metrics.base import MetricInputError


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(15, 6))
    return rng, x, x @ rng.normal(size=(6, 4)) + 0.3 * rng.normal(size=(15, 4))


def test_found_through_get_metric(data):
    _, x, y = data
    metric = get_metric("$id")
    assert metric.info.id == "$id" and -1.0 <= metric(x, y) <= 1.0
    assert metric(x, x) == pytest.approx(1.0)


def test_declared_invariances_hold(data):
    rng, x, y = data
    metric = get_metric("$id")
    q, _ = np.linalg.qr(rng.normal(size=(6, 6)))
    value = metric(x, y)
    assert metric(x @ q, y) == pytest.approx(value)
    assert metric(3.0 * x + 5.0, y) == pytest.approx(value)
    assert metric(x[:, rng.permutation(6)], y) == pytest.approx(value)
    assert metric(y, x) == pytest.approx(value)


def test_a_parameter_is_refused():
    with pytest.raises(MetricInputError, match="takes no parameter"):
        get_metric("$id.3")
''')

HOW_TO = '''\
- `$package/measure.py`: the `neuroalign.metrics.base.Metric` subclass; `info` declares its kind, symmetry and
  invariances, which `neuroalign plugin check` tests numerically on random data.
- `factory(rest)` receives what follows the id (`get_metric("$id.0.5")` gives `"0.5"`), `None` when nothing does.
  A family that needs a parameter sets `factory.examples = ("0.5",)`: the parameters `plugin check` tries.
'''


def files(names: PluginNames) -> Files:
    """The package (light factory, heavy measure) and its tests."""
    return render(names, {"{package}/__init__.py": INIT, "{package}/measure.py": MEASURE,
                          "tests/test_{package}.py": TESTS})

TEMPLATE = KindTemplate(attribute="factory", summary="Pearson correlation of Euclidean distance vectors (template)",
                        files=files, how_to=HOW_TO, dependencies=("torch>=2.1",))
