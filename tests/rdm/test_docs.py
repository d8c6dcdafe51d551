"""``docs/distances.md`` names a test for every claim; each named test must exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOC = HERE.parents[1] / "docs" / "distances.md"


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_test_the_docs_name_exists():
    named = re.findall(r"`(test_\w+\.py)::(test_\w+)`", DOC.read_text())
    assert len(named) >= 12
    missing = [f"{f}::{t}" for f, t in named if not (HERE / f).exists() or t not in _tests_in(HERE / f)]
    assert not missing, f"docs/distances.md names tests that do not exist: {missing}"


def test_every_mapping_row_names_a_test():
    rows = [line for line in DOC.read_text().split("## Names in other libraries")[1].split("##")[0].splitlines()
            if line.startswith("| ") and not line.startswith("| library") and not line.startswith("| ---")]
    assert rows and all(re.search(r"`test_\w+\.py::test_\w+`", row) for row in rows)


def test_every_registered_distance_is_defined_in_the_docs():
    from neuroalign.rdm import DISTANCES

    text = DOC.read_text()
    assert all(f"| `{name}` |" in text for name in DISTANCES.names())
