"""Benchmarks named in a store, resolved through the plugin registry, and the report's references section."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from neuroalign.benchmarks.registry import load_benchmark
from neuroalign.errors import NeuroAlignError
from neuroalign.report.html.markup import element, section_id, text


@dataclass(frozen=True)
class BenchmarkEntry:
    """A benchmark id from the store, with the registered benchmark, or why it no longer resolves.

    Attributes
    ----------
    id : str
    benchmark : Benchmark or None
        The benchmark registered under ``id`` now (``None`` when it does not resolve).
    problem : str or None
        Why ``id`` did not resolve (the error's message).
    """

    id: str
    benchmark: Any = None
    problem: str | None = None

    def attribute(self, name: str, default: Any = None) -> Any:
        """An attribute of the registered benchmark; ``default`` when it does not resolve or lacks it."""
        if self.benchmark is None:
            return default
        try:
            return getattr(self.benchmark, name)
        except (NeuroAlignError, OSError, AttributeError):  # e.g. a citation whose manifest is gone
            return default


def resolve(benchmark_id: str) -> BenchmarkEntry:
    """Look ``benchmark_id`` up with :func:`neuroalign.benchmarks.registry.load_benchmark`; failures become a note,
    not an error."""
    try:
        return BenchmarkEntry(benchmark_id, load_benchmark(benchmark_id))
    except NeuroAlignError as error:  # unknown id, broken or conflicting plugin, contract violation
        return BenchmarkEntry(benchmark_id, problem=f"{type(error).__name__}: {error}")


def unresolved_note(entry: BenchmarkEntry) -> str:
    """The note shown for a benchmark id that no longer resolves (empty markup when it does)."""
    if entry.benchmark is not None:
        return ""
    return text("p", f"This benchmark id no longer resolves to a registered benchmark ({entry.problem}); its "
                     "stored scores are shown as stored.", class_="note missing-benchmark")


def references_section(entries: Sequence[BenchmarkEntry]) -> str:
    """``<section id="references">``: the BibTeX citation of each benchmark, or a note where none is available."""
    items = []
    for entry in entries:
        link = element("a", text("code", entry.id), href="#" + section_id(entry.id))
        citation = entry.attribute("citation")
        body = text("pre", citation.strip(), class_="bibtex") if citation else unresolved_note(entry) or text(
            "p", "The benchmark declares no citation.", class_="note")
        items.append(element("li", link + body))
    return element("section", text("h2", "References") + element("ul", "".join(items)), id="references")

