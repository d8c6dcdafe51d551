"""Write the API reference pages from the packages' ``__all__`` when the build starts, so that every public name
is documented (a new name appears by itself) and a public name without a docstring fails the build.

One page per package (``api/generated/neuroalign.compare.rst``): its module docstring, a summary table, then each
name with autodoc. The command line gets one page with the help of every subcommand, read from the real parser.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The packages of the reference, in the order of the data flow (containers -> engines -> adapters -> results).
PACKAGES = ("neuroalign", "neuroalign.core", "neuroalign.rdm", "neuroalign.compare", "neuroalign.metrics",
            "neuroalign.stats", "neuroalign.analysis", "neuroalign.data", "neuroalign.datasets",
            "neuroalign.models", "neuroalign.cache", "neuroalign.benchmarks", "neuroalign.plugins",
            "neuroalign.store", "neuroalign.alignment", "neuroalign.report", "neuroalign.distributed",
            "neuroalign.backend", "neuroalign.io")


def _directive(obj: object) -> str:
    if inspect.isclass(obj):
        return "autoclass"
    if callable(obj):
        return "autofunction"
    return "autodata"


def owners() -> dict[int, str]:
    """The package whose page describes each public object: the first of :data:`PACKAGES` after the top level
    that exports it (``neuroalign.RDMs`` is described on ``neuroalign.core``'s page), else the top level."""
    owner: dict[int, str] = {}
    for package in (*PACKAGES[1:], PACKAGES[0]):
        module = importlib.import_module(package)
        for name in module.__all__:
            owner.setdefault(id(getattr(module, name)), package)
    return owner


def package_page(package: str, owner: dict[int, str]) -> str:
    """The reStructuredText of one package's page; an object described on another page is listed with
    ``:no-index:`` here, so that each object has one target that references resolve to."""
    module = importlib.import_module(package)
    names = list(module.__all__)
    lines = [f".. _api-{package}:", "", package, "=" * len(package), "", f".. automodule:: {package}",
             "   :no-members:", "", f".. currentmodule:: {package}", "", ".. autosummary::", ""]
    # Constants stay out of the table: their summary would be their type's docstring ("str(object='') -> str").
    lines += [f"   {name}" for name in names
              if not name.startswith("__") and _directive(getattr(module, name)) != "autodata"]
    lines.append("")
    for name in names:
        if name.startswith("__"):
            continue
        obj = getattr(module, name)
        directive = _directive(obj)
        lines += [f".. {directive}:: {name}"]
        if directive == "autoclass":
            lines += ["   :members:", "   :show-inheritance:"]
        if directive == "autodata":
            lines += ["   :no-value:"]
        if owner.get(id(obj), package) != package:
            lines += ["   :no-index:"]
        lines.append("")
    return "\n".join(lines)


def cli_page() -> str:
    """The command line: ``neuroalign --help`` and the help of every subcommand, from the parser itself."""
    import argparse

    from neuroalign.cli.main import build_parser

    parser = build_parser()
    lines = [".. _api-cli:", "", "Command line (``neuroalign``)", "=" * 29, "",
             "The help of ``neuroalign`` and of each subcommand, as ``neuroalign COMMAND --help`` prints it.", "",
             "::", ""]
    lines += ["   " + line for line in parser.format_help().splitlines()]
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    for name, sub in commands.choices.items():
        title = f"neuroalign {name}"
        lines += ["", title, "-" * len(title), "", "::", ""]
        lines += ["   " + line for line in sub.format_help().splitlines()]
    return "\n".join(lines) + "\n"


def _write_if_changed(path: Path, text: str) -> None:
    # Unchanged pages keep their time stamps, so that a rebuild rereads nothing.
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def write_pages(app) -> None:
    out = Path(app.srcdir) / "api" / "generated"
    out.mkdir(parents=True, exist_ok=True)
    owner = owners()
    for package in PACKAGES:
        _write_if_changed(out / f"{package}.rst", package_page(package, owner))
    _write_if_changed(out / "cli.rst", cli_page())


def refuse_undocumented(app, what, name, obj, options, lines) -> None:
    """A public function, class or method without a docstring is a warning (an error under ``-W``)."""
    if what in ("function", "class", "method") and not any(line.strip() for line in lines) \
            and not name.rsplit(".", 1)[-1].startswith("_"):
        logger.warning(f"{name} is public and has no docstring", location=name)


def setup(app):
    app.connect("builder-inited", write_pages)
    app.connect("autodoc-process-docstring", refuse_undocumented, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
