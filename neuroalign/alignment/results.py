"""What an alignment study found: per pair of sources and metric, the layer matrices and the committed score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from neuroalign.errors.applications import AlignmentError


@dataclass(frozen=True)
class PairAlignment:
    """One metric between two sources.

    Attributes
    ----------
    source_a, source_b : str
        The sources (in the order they were given to :func:`~neuroalign.alignment.align`).
    metric : str
    matrix : DataFrame
        The metric between every layer of ``a`` (rows) and of ``b`` (columns) on all stimuli: descriptive.
    selection_matrix : DataFrame
        The same on the selection stimuli only; the committed pair is its best entry.
    layer_a, layer_b : str
        The committed layer pair.
    value : float
        The committed pair's score on the held-out stimuli.
    null : ndarray, shape (n_permutations,)
        The committed pair on the held-out stimuli with ``b``'s stimulus labels permuted (the same permutations
        for every pair and metric); NaN where the metric is undefined (counted by ``n_undefined_null``).
    p_value : float
        ``(1 + #{null at least as good as value}) / (1 + n_permutations)``; NaN without permutations.
    bootstrap : ndarray, shape (n_bootstrap,)
        The committed pair on stimulus resamples of the held-out stimuli (the same resamples for every pair); NaN
        where the metric is undefined on a resample (counted by ``n_undefined_bootstrap``, left out of the
        interval).
    interval : (float, float)
        Percentile bootstrap interval at the study's level (NaN without resamples).
    larger_is_better : bool
        False for a distance.
    """

    source_a: str
    source_b: str
    metric: str
    matrix: pd.DataFrame
    selection_matrix: pd.DataFrame
    layer_a: str
    layer_b: str
    value: float
    null: np.ndarray
    p_value: float
    bootstrap: np.ndarray
    interval: tuple[float, float]
    larger_is_better: bool = True

    @property
    def null_mean(self) -> float:
        """Mean of the permutation null over the permutations where the metric is defined (NaN without any)."""
        defined = self.null[np.isfinite(self.null)]
        return float(np.mean(defined)) if defined.size else float("nan")

    @property
    def n_undefined_null(self) -> int:
        """Permutations on which the metric is undefined (NaN in ``null``; left out of the p-value)."""
        return int(np.isnan(self.null).sum())

    @property
    def n_undefined_bootstrap(self) -> int:
        """Resamples on which the metric is undefined (NaN in ``bootstrap``; left out of the interval)."""
        return int(np.isnan(self.bootstrap).sum())

    @property
    def calibrated(self) -> float:
        """Null-calibrated score ``value - null_mean``: what exceeds chance for this pair's sizes and geometry."""
        return self.value - self.null_mean


def _pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class AlignmentStudy:
    """Every pair of sources under every metric, with the study's split, seeds and settings.

    Attributes
    ----------
    sources : tuple of dict
        Each source's description (name, kind, fingerprint, layers, pooling).
    metrics : tuple of str
    stimulus_set : str or None
        The stimulus set's name.
    stimulus_ids, selection, held_out : tuple of str
        All stimuli of the study, and its selection and held-out parts.
    pairs : tuple of PairAlignment
    seed, n_permutations, n_bootstrap, selection_fraction, level
        The settings of :func:`~neuroalign.alignment.align`.
    diagnostics : dict
        Per source, facts worth reporting (e.g. the negative share of an embedded brain RDM's spectrum).
    """

    sources: tuple[dict[str, Any], ...]
    metrics: tuple[str, ...]
    stimulus_set: str | None
    stimulus_ids: tuple[str, ...]
    selection: tuple[str, ...]
    held_out: tuple[str, ...]
    pairs: tuple[PairAlignment, ...]
    seed: int
    n_permutations: int
    n_bootstrap: int
    selection_fraction: float
    level: float
    diagnostics: dict[str, Any]

    @property
    def source_names(self) -> tuple[str, ...]:
        return tuple(s["name"] for s in self.sources)

    def kind_of(self, name: str) -> str:
        """``"model"`` or ``"brain"``."""
        return next(s["kind"] for s in self.sources if s["name"] == name)

    def pair(self, a: str, b: str, metric: str) -> PairAlignment:
        """The result of ``metric`` between sources ``a`` and ``b`` (in either order)."""
        for p in self.pairs:
            if p.metric == metric and _pair_key(p.source_a, p.source_b) == _pair_key(a, b):
                return p
        raise AlignmentError(f"no result for {a!r} and {b!r} under {metric!r}; sources {list(self.source_names)}, "
                             f"metrics {list(self.metrics)}")

    def to_frame(self) -> pd.DataFrame:
        """One row per pair of sources and metric: committed layers, held-out score, null, p-value, interval."""
        kinds = {s["name"]: s["kind"] for s in self.sources}
        rows = [{"source_a": p.source_a, "source_b": p.source_b, "kind_a": kinds[p.source_a],
                 "kind_b": kinds[p.source_b], "metric": p.metric, "layer_a": p.layer_a, "layer_b": p.layer_b,
                 "value": p.value, "null_mean": p.null_mean, "calibrated": p.calibrated, "p_value": p.p_value,
                 "ci_low": p.interval[0], "ci_high": p.interval[1], "n_selection": len(self.selection),
                 "n_held_out": len(self.held_out)} for p in self.pairs]
        return pd.DataFrame(rows)

    def matrix(self, metric: str, value: str = "value") -> pd.DataFrame:
        """Source x source table of one metric (symmetric, NaN diagonal); ``value`` is a :meth:`to_frame` column."""
        names = list(self.source_names)
        table = pd.DataFrame(np.nan, index=names, columns=names)
        frame = self.to_frame()
        if value not in frame.columns:
            raise AlignmentError(f"unknown value {value!r}; choose a column of to_frame(): {list(frame.columns)}")
        for row in frame[frame.metric == metric].itertuples():
            table.loc[row.source_a, row.source_b] = table.loc[row.source_b, row.source_a] = getattr(row, value)
        return table

    def layer_matrix(self, a: str, b: str, metric: str, part: str = "all") -> pd.DataFrame:
        """Layer x layer table of ``a`` (rows) against ``b`` (columns) on all stimuli or the selection part."""
        if part not in ("all", "selection"):
            raise AlignmentError(f"part must be 'all' or 'selection'; got {part!r}")
        p = self.pair(a, b, metric)
        table = p.matrix if part == "all" else p.selection_matrix
        return table if p.source_a == a else table.T

    def by_metric(self, value: str = "value") -> pd.DataFrame:
        """One row per pair of sources (``"a ~ b"``), one column per metric."""
        frame = self.to_frame()
        frame["pair"] = frame.source_a + " ~ " + frame.source_b
        return frame.pivot(index="pair", columns="metric", values=value)[list(self.metrics)]

    def metric_agreement(self, value: str = "value") -> pd.DataFrame:
        """Spearman rank correlation between metrics across the pairs of sources (pairwise complete)."""
        return self.by_metric(value).corr(method="spearman")
