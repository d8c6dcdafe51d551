"""Sections beyond the leaderboard and the benchmarks: the report's extension point.

A *section builder* is a callable ``builder(store) -> Section | None`` that reads what it needs from the results
store (its own result kinds) and returns a section of text, tables and figures, or None when the store holds
nothing for it. :func:`register_section` adds one; the report draws every registered builder's section after the
benchmark sections, in registration order, with the generic ``section.html.j2`` template (all text escaped).
The alignment studies (``align`` results) are drawn this way; an encoding or searchlight result kind adds its maps
by registering a builder of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from neuroalign.report.html.views import FigureView


@dataclass
class Table:
    """A plain table: header texts and rows of cell texts."""

    headers: list[str]
    rows: list[list[Any]]


@dataclass
class Block:
    """One article of a section: a title, paragraphs, an optional table and figures."""

    anchor: str
    title: str
    text: list[str] = field(default_factory=list)
    table: Table | None = None
    figures: list["FigureView"] = field(default_factory=list)


@dataclass
class Section:
    """A section of the page (``<section id=anchor>``), listed in the contents under ``title``."""

    anchor: str
    title: str
    intro: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


SectionBuilder = Callable[[Any], "Section | None"]

_BUILDERS: list[SectionBuilder] = []


def register_section(builder: SectionBuilder) -> SectionBuilder:
    """Add a section builder (usable as a decorator); registering the same one twice keeps one."""
    if builder not in _BUILDERS:
        _BUILDERS.append(builder)
    return builder


def unregister_section(builder: SectionBuilder) -> None:
    """Remove a section builder registered with :func:`register_section` (nothing happens for an unknown one)."""
    if builder in _BUILDERS:
        _BUILDERS.remove(builder)


def extra_sections(store: Any) -> list[Section]:
    """The sections of every registered builder that has something to show for ``store``."""
    _register_first_party()
    return [section for builder in list(_BUILDERS) if (section := builder(store)) is not None]


def _register_first_party() -> None:
    """The report's own sections, registered first (imported here: they draw with matplotlib)."""
    from neuroalign.report.html.alignment_section import alignment_section

    if alignment_section not in _BUILDERS:
        _BUILDERS.insert(0, alignment_section)
