"""The fenced code blocks of README.md and docs/*.md, read as a user reads them: the Python ones must run as pasted,
or say right above them that they are a fragment and link to the executed script that runs them in full.

A fragment is marked by the paragraph just before its block, which starts with ``Fragment`` (an incomplete block)
or ``Run in full by`` (a complete block too slow to run twice: it loads pretrained models) and links to one or more
scripts of ``examples/``, ``tutorials/`` or ``tests/`` (the docs build executes the first, the test suite the
others)::

    Fragment, run in full by [examples/plot_rdm_from_mne_epochs.py](../examples/plot_rdm_from_mne_epochs.py):
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))
_FENCE = re.compile(r"^```(?P<lang>[\w+-]*)[^\n]*\n(?P<code>.*?)^```[ \t]*$", re.S | re.M)
FRAGMENT_MARKS = ("Fragment", "Run in full by")
_LINK = re.compile(r"\]\((?P<target>[^)#\s]+\.py)\)")


@dataclass(frozen=True)
class Block:
    """One fenced block: where it is, its language, its code and, for a fragment, the scripts it links to."""

    page: Path
    line: int
    lang: str
    code: str
    fragment_of: tuple[Path, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def is_script(self) -> bool:
        """It guards its work with ``if __name__ == "__main__":`` and so runs as a file (Dask's workers import it)."""
        return "__name__ == \"__main__\"" in self.code

    def imported_names(self) -> set[str]:
        """The names it imports from neuroalign, and the ``neuroalign.NAME`` attributes it uses."""
        names = set()
        for node in ast.walk(ast.parse(self.code)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("neuroalign"):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id == "neuroalign":
                names.add(node.attr)
        return names


def _preceding_paragraph(text: str, start: int) -> str:
    before = text[:start].rstrip("\n")
    return before.rsplit("\n\n", 1)[-1]


def read_blocks(page: Path) -> list[Block]:
    """Every fenced block of one Markdown page, in order."""
    text = page.read_text(encoding="utf-8")
    blocks = []
    for match in _FENCE.finditer(text):
        paragraph = _preceding_paragraph(text, match.start())
        links: tuple[Path, ...] = ()
        if paragraph.startswith(FRAGMENT_MARKS):
            links = tuple((page.parent / m["target"]).resolve() for m in _LINK.finditer(paragraph))
        blocks.append(Block(page, text[:match.start()].count("\n") + 1, match["lang"], match["code"], links))
    return blocks


def python_blocks() -> list[Block]:
    """The Python blocks of README.md and every page of docs/."""
    return [block for page in PAGES for block in read_blocks(page) if block.lang == "python"]
