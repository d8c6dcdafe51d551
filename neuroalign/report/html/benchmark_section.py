"""One benchmark's section: what it measures, its stored scores, a figure per score, and each score's provenance."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from neuroalign.report.html.figures import score_figures
from neuroalign.report.html.markup import (MISSING, definitions, element, esc, interval, number, section_id, table,
                                           text)
from neuroalign.report.html.provenance import provenance_block
from neuroalign.report.html.references import BenchmarkEntry, unresolved_note

if TYPE_CHECKING:
    from neuroalign.store import StoredResult

SCORE_COLUMNS = ("model", "version", "committed layer", "stimuli scored", "raw value", "raw interval",
                 "ceiling [lower, upper]", "normalised")


def committed_layers(result: "StoredResult") -> list[str]:
    """The layer(s) the score committed to: the stored column, else the provenance's (a list for crossval)."""
    if result.layer is not None:
        return [result.layer]
    commitment = result.provenance.get("commitment")
    layer = commitment.get("layer") if isinstance(commitment, dict) else None
    if layer is None:
        return []
    return [str(name) for name in layer] if isinstance(layer, list) else [str(layer)]


def _score_row(result: "StoredResult") -> list[str]:
    low, high = result.interval if result.interval is not None else (None, None)
    ceiling = MISSING
    if result.ceiling is not None:
        ceiling = f"[{MISSING if result.ceiling_low is None else number(result.ceiling_low)}, {number(result.ceiling)}]"
    normalised = esc(number(result.normalized))
    if result.exceeds_ceiling:
        normalised += text("span", "*", class_="mark", title="above the noise ceiling")
    level = f" ({result.interval_level:.0%})" if result.interval is not None else ""
    return [element("a", esc(result.model_id), href=f"#score-{result.id}"), esc(result.benchmark_version),
            esc(", ".join(committed_layers(result)) or MISSING), esc(_stimuli(result)), esc(number(result.value)),
            esc(interval(low, high) + level), esc(ceiling), normalised]


def _stimuli(result: "StoredResult") -> str:
    """``"92"``, ``"91 of 92"`` (a benchmark that allows missing stimuli), or ``-`` where the store does not say."""
    if result.n_scored is None:
        return MISSING
    return str(result.n_scored) if result.n_scored == result.n_stimuli else f"{result.n_scored} of {result.n_stimuli}"


def _score_block(result: "StoredResult") -> str:
    heading = text("h3", f"{result.model_id} (version {result.benchmark_version})")
    return element("article", heading + "".join(score_figures(result)) + provenance_block(result),
                   id=f"score-{result.id}", class_="score")


def _about(entry: BenchmarkEntry, results: Sequence["StoredResult"]) -> str:
    stored = sorted({r.benchmark_version for r in results})
    registered = entry.attribute("version")
    version = ", ".join(stored) or MISSING
    if registered is not None and stored and str(registered) not in stored:
        version += f" (the registered benchmark is now version {registered}: these scores are of an older one)"
    provenance: dict[str, Any] = results[0].provenance if results else {}
    metric = entry.attribute("metric") or (results[0].metric if results else None)
    ceiling = entry.attribute("ceiling_method") or provenance.get("ceiling")
    items = [("version", esc(version)), ("metric", esc(metric or MISSING)),
             ("ceiling method", esc(ceiling or MISSING)),
             ("dataset", esc(entry.attribute("dataset") or provenance.get("dataset") or MISSING))]
    return definitions(items)


def benchmark_section(entry: BenchmarkEntry, results: Sequence["StoredResult"]) -> str:
    """``<section id="benchmark-<id>">`` for one benchmark and its stored scores (in the order given)."""
    description = entry.attribute("description")
    parts = [element("h2", "Benchmark " + text("code", entry.id)), unresolved_note(entry)]
    if description:
        parts.append(text("p", description, class_="description"))
    parts.append(_about(entry, results))
    if results:
        parts.append(table(SCORE_COLUMNS, [_score_row(r) for r in results], class_="scores"))
        parts.extend(_score_block(r) for r in results)
    else:
        parts.append(text("p", "No stored scores.", class_="note"))
    return element("section", "".join(parts), id=section_id(entry.id), class_="benchmark")
