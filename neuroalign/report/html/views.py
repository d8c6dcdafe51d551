"""What the templates show of one stored score: both scales with their intervals, what it was computed on.

A score has a raw value with its bootstrap interval and, where its benchmark has a positive noise ceiling, the
ceiling-normalised value ``value / ceiling`` with the *same* interval divided by the same ceiling: the page never
shows one score with two unrelated intervals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from neuroalign.report.html.markup import anchor, is_missing, section_id

if TYPE_CHECKING:
    from neuroalign.store import StoredResult


@dataclass
class FigureView:
    """One figure of the page: an inline image (``data:`` URI), its caption, and what its axes show.

    ``axes`` lists, per drawn axes, its ``xlabel``, ``ylabel`` and ``title``, or for a colour bar its ``vmin`` and
    ``vmax``; the page carries it as ``data-axes`` JSON, so that a reader (and the browser test) can check that
    every figure is labelled and that no colour scale collapses.
    """

    src: str
    caption: str
    axes: list[dict[str, Any]]


@dataclass
class ScoreView:
    """One stored score as the page shows it (see the module docstring)."""

    result: "StoredResult"
    figures: list[FigureView] = field(default_factory=list)
    #: ``(term, value)`` items of :func:`neuroalign.report.html.provenance.provenance_items`
    provenance: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The ``id`` of the score's article in its benchmark's section."""
        return f"score-{self.result.id}"

    @property
    def model(self) -> str:
        return self.result.model_id

    @property
    def model_anchor(self) -> str:
        return anchor("model", self.result.model_id)

    @property
    def benchmark_anchor(self) -> str:
        return section_id(self.result.benchmark_id)

    @property
    def raw(self) -> float:
        return self.result.value

    @property
    def raw_interval(self) -> tuple[float, float] | None:
        return self.result.interval

    @property
    def ceiling(self) -> tuple[float | None, float] | None:
        """``(lower, upper)`` noise ceiling (the lower bound may be unknown), or None."""
        if self.result.ceiling is None:
            return None
        return self.result.ceiling_low, self.result.ceiling

    @property
    def normalised(self) -> float | None:
        """``value / ceiling``; None where the benchmark has no positive ceiling (the score stays raw)."""
        return self.result.normalized

    @property
    def normalised_interval(self) -> tuple[float, float] | None:
        """The raw interval divided by the ceiling (the same interval, on the normalised scale)."""
        if self.normalised is None or self.result.interval is None or not self.result.ceiling:
            return None
        low, high = self.result.interval
        return low / self.result.ceiling, high / self.result.ceiling

    @property
    def level(self) -> str:
        return f"{self.result.interval_level:.0%}"

    @property
    def exceeds(self) -> bool:
        return self.result.exceeds_ceiling

    @property
    def n_stimuli(self) -> str:
        """``"92"``, ``"91 of 92"`` (a benchmark that allows missing stimuli), or ``-`` where the store does not say."""
        scored, total = self.result.n_scored, self.result.n_stimuli
        if scored is None:
            return "-"
        return str(scored) if scored == total or total is None else f"{scored} of {total}"

    @property
    def n_subjects(self) -> str:
        """How many per-subject values the score averages (its ``raw`` values), or ``-``."""
        raw = self.result.raw
        return "-" if raw is None else str(int(sum(not is_missing(v) for v in raw)))

    @property
    def layers(self) -> list[str]:
        """The layer(s) the score committed to: the stored column, else the provenance's (a list for crossval)."""
        if self.result.layer is not None:
            return [self.result.layer]
        commitment = self.result.provenance.get("commitment")
        layer = commitment.get("layer") if isinstance(commitment, dict) else None
        if layer is None:
            return []
        return [str(name) for name in layer] if isinstance(layer, list) else [str(layer)]
