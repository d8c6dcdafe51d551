"""Plumbing shared by the measure families: a measure made of a function, parameter parsing, fixed factories."""

from __future__ import annotations

from typing import Callable

import torch

from neuroalign.metrics.base import Metric, MetricInfo, MetricInputError


class FunctionMetric(Metric):
    """A measure defined by a function ``fn(x, y, measure=id) -> 0-d tensor`` and its declared properties."""

    def __init__(self, info: MetricInfo, fn: Callable[..., torch.Tensor]) -> None:
        self.info = info
        self._fn = fn

    def compute(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return self._fn(x, y, measure=self.info.id)


def parse_float(rest: str | None, prefix: str, *, default: float | None = None, low: float = 0.0,
                high: float = float("inf")) -> float:
    """The numeric parameter at the end of a measure id, checked to lie in ``[low, high]``."""
    if rest is None:
        if default is None:
            raise MetricInputError(f"{prefix} needs a parameter, for example '{prefix}.0.5'")
        return default
    try:
        value = float(rest)
    except ValueError:
        raise MetricInputError(f"{prefix}.{rest}: parameter {rest!r} is not a number") from None
    if not low <= value <= high:
        raise MetricInputError(f"{prefix}.{rest}: parameter must lie in [{low}, {high}]; got {value}")
    return value


def fixed_factory(info: MetricInfo, fn: Callable[..., torch.Tensor], *,
                  cls: Callable[..., FunctionMetric] = FunctionMetric) -> Callable[[str | None], FunctionMetric]:
    """A registry factory for a measure without parameters (an id with anything after it is an error).

    ``cls`` builds the measure from ``(info, fn)``; a subclass may share per-representation work across pairs.
    """
    def factory(rest: str | None) -> FunctionMetric:
        if rest is not None:
            raise MetricInputError(f"{info.id} takes no parameter; got '{info.id}.{rest}'")
        return cls(info, fn)
    return factory
