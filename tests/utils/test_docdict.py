"""The shared parameter descriptions: every ``%(...)s`` key resolves, and the filled docstrings are numpydoc."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

import neuroalign
from neuroalign.utils.docs import docdict, fill_doc

PACKAGE = Path(neuroalign.__file__).parent
_KEY = re.compile(r"%\((\w+)\)s")


def _filled_functions() -> list[tuple[str, str]]:
    """``(module, qualified function name)`` of every function decorated with ``@fill_doc`` in neuroalign/."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and any(
                    isinstance(d, ast.Name) and d.id == "fill_doc" for d in node.decorator_list):
                found.append((module, node.name))
    return found


FILLED = _filled_functions()


def test_the_engines_use_the_shared_descriptions():
    assert len(FILLED) >= 10
    used = {key for module, name in FILLED
            for key in _KEY.findall(inspect.getsource(getattr(importlib.import_module(module), name)))}
    assert {"device", "seed", "progress", "nan_policy", "mirror", "comparator"} <= used


def test_every_key_in_the_sources_resolves():
    line = re.compile(r"^[ \t]*%\((\w+)\)s[ \t]*$", re.MULTILINE)  # a placeholder is a line of its own
    keys = {key for path in PACKAGE.rglob("*.py") for key in line.findall(path.read_text(encoding="utf-8"))}
    assert keys - set(docdict) == set()


@pytest.mark.parametrize("module, name", FILLED)
def test_a_filled_docstring_has_no_placeholder_left_and_keeps_its_parameters_aligned(module, name):
    function = getattr(importlib.import_module(module), name)
    lines = inspect.cleandoc(function.__doc__).splitlines()
    assert not [line for line in lines if "%(" in line]
    for key in _KEY.findall(inspect.getsource(function)):
        header = docdict[key].splitlines()[0]
        at = lines.index(header)  # at the parameters' indentation, its description one level deeper
        assert lines[at + 1].startswith("    ") and not lines[at + 1].startswith("     ")
        assert key in inspect.signature(function).parameters


@pytest.mark.parametrize("module, name", FILLED)
def test_a_filled_docstring_parses_as_numpydoc(module, name):
    numpydoc = pytest.importorskip("numpydoc.docscrape")
    function = getattr(importlib.import_module(module), name)
    parsed = numpydoc.FunctionDoc(function)
    documented = {p.name: p for p in parsed["Parameters"]}
    for key in _KEY.findall(inspect.getsource(function)):
        assert key in documented
        assert documented[key].type == docdict[key].splitlines()[0].split(" : ", 1)[1]
        assert " ".join(documented[key].desc).startswith(" ".join(docdict[key].split()[len(docdict[key]
                                                                  .splitlines()[0].split()):])[:40])


def test_fill_doc_indents_the_entry_and_refuses_an_unknown_key():
    def f(seed=None):
        """Draw.

        Parameters
        ----------
        %(seed)s
            More about this seed.
        """

    doc = fill_doc(f).__doc__.splitlines()
    assert doc[-4:-1] == ["        seed : int or numpy.random.Generator, optional",
                          "            Seeds the random draws; the same seed gives the same result.",
                          "            More about this seed."]

    def g():
        """%(no_such_entry)s"""

    with pytest.raises(KeyError, match=r"%\(no_such_entry\)s, which is not in neuroalign.utils.docs.docdict"):
        fill_doc(g)
