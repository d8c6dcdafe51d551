"""One benchmark's section: what it measures, how its ceiling is estimated, its citation and its stored scores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

from neuroalign.report.html.markup import MISSING, section_id
from neuroalign.report.html.references import BenchmarkEntry

if TYPE_CHECKING:
    from neuroalign.report.html.views import ScoreView


@dataclass(frozen=True)
class BenchmarkView:
    """A benchmark's section as the template draws it."""

    entry: BenchmarkEntry
    about: list[tuple[str, str]]
    scores: Sequence["ScoreView"]

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def anchor(self) -> str:
        return section_id(self.entry.id)

    @property
    def description(self) -> str | None:
        return self.entry.attribute("description")

    @property
    def citation(self) -> str | None:
        citation = self.entry.attribute("citation")
        return citation.strip() if citation else None


def _about(entry: BenchmarkEntry, scores: Sequence["ScoreView"]) -> list[tuple[str, str]]:
    stored = sorted({s.result.benchmark_version for s in scores})
    registered = entry.attribute("version")
    version = ", ".join(stored) or MISSING
    if registered is not None and stored and str(registered) not in stored:
        version += f" (the registered benchmark is now version {registered}: these scores are of an older one)"
    provenance: dict[str, Any] = scores[0].result.provenance if scores else {}
    metric = entry.attribute("metric") or (scores[0].result.metric if scores else None)
    ceiling = entry.attribute("ceiling_method") or provenance.get("ceiling")
    return [("version", version), ("metric", metric or MISSING), ("ceiling method", ceiling or MISSING),
            ("dataset", entry.attribute("dataset") or provenance.get("dataset") or MISSING)]


def benchmark_view(entry: BenchmarkEntry, scores: Sequence["ScoreView"]) -> BenchmarkView:
    """The section of one benchmark and its stored scores (in the order given)."""
    return BenchmarkView(entry, _about(entry, scores), scores)
