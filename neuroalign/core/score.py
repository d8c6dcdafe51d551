"""The :class:`Score` container: a value with its ceiling, interval, raw values, null summary and provenance."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np


@dataclass(frozen=True)
class Score:
    """The outcome of comparing a representation with a target.

    Ceiling normalisation is never clipped: a value above its ceiling stays above 1 and :attr:`exceeds_ceiling`
    says so, because a score over the ceiling signals a problem a user must see (too few subjects, a biased
    estimator, overfitting), not a number to hide.

    Parameters
    ----------
    value : float
        The raw score (for example a mean Spearman correlation over subjects).
    metric : str
        The id of the metric or comparator that produced it.
    ceiling : float, optional
        The noise ceiling the value is normalised by (its upper bound when a range is known).
    ceiling_low : float, optional
        The lower bound of the noise ceiling, where one is estimated.
    interval : (float, float), optional
        Confidence interval of ``value`` at ``interval_level``.
    raw : array, optional
        Per-split or per-subject values the score summarises.
    null : mapping, optional
        Summary of a permutation null (mean, std, p_value, n_permutations).
    provenance : mapping
        Versions, hashes, seeds and parameters that produced the score.
    """

    value: float
    metric: str
    ceiling: float | None = None
    ceiling_low: float | None = None
    interval: tuple[float, float] | None = None
    interval_level: float = 0.95
    raw: np.ndarray | None = None
    null: Mapping[str, Any] | None = None
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.interval is not None:
            low, high = self.interval
            if not low <= high:
                raise ValueError(f"interval must be ordered (low <= high); got {self.interval}")
        if not 0 < self.interval_level < 1:
            raise ValueError(f"interval_level must lie in (0, 1); got {self.interval_level}")
        if self.raw is not None:
            raw = np.array(self.raw, dtype=np.float64, copy=True)
            raw.setflags(write=False)
            object.__setattr__(self, "raw", raw)

    @property
    def normalized(self) -> float | None:
        """``value / ceiling`` (not clipped); ``None`` without a positive ceiling."""
        if self.ceiling is None or not self.ceiling > 0:
            return None
        return self.value / self.ceiling

    @property
    def normalized_interval(self) -> tuple[float, float] | None:
        """The interval divided by the ceiling, where both exist."""
        if self.interval is None or self.normalized is None:
            return None
        return (self.interval[0] / self.ceiling, self.interval[1] / self.ceiling)  # type: ignore[operator]

    @property
    def exceeds_ceiling(self) -> bool:
        """Whether the value lies above its ceiling (a warning sign, reported, never clipped)."""
        return self.ceiling is not None and self.value > self.ceiling

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dictionary of every field and derived value."""
        def clean(x: Any) -> Any:
            if isinstance(x, float) and math.isnan(x):
                return None
            return x

        return {
            "metric": self.metric,
            "value": clean(self.value),
            "ceiling": self.ceiling,
            "ceiling_low": self.ceiling_low,
            "normalized": self.normalized,
            "exceeds_ceiling": self.exceeds_ceiling,
            "interval": list(self.interval) if self.interval is not None else None,
            "interval_level": self.interval_level,
            "raw": None if self.raw is None else [clean(float(v)) for v in self.raw],
            "null": dict(self.null) if self.null is not None else None,
            "provenance": dict(self.provenance),
        }
