"""``neuroalign plugin new``: write a complete, installable plugin package of one kind.

>>> from neuroalign.plugins.scaffold import new_plugin
>>> new_plugin("my-net", "model", "~/src")                         # doctest: +SKIP
PosixPath('~/src/neuroalign-my-net')
"""

from __future__ import annotations

import os
from pathlib import Path

from neuroalign.errors.applications import TargetExistsError
from neuroalign.plugins.groups import parse_kind
from neuroalign.plugins.scaffold import benchmark, dataset, metric, model
from neuroalign.plugins.scaffold.layout import KindTemplate, common_files
from neuroalign.plugins.scaffold.names import plugin_names

#: kind -> how a plugin of that kind is scaffolded.
TEMPLATES: dict[str, KindTemplate] = {"model": model.TEMPLATE, "dataset": dataset.TEMPLATE,
                                      "metric": metric.TEMPLATE, "benchmark": benchmark.TEMPLATE}


def plugin_files(name: str, kind: str) -> dict[str, str | bytes]:
    """Every file of a new plugin, by path relative to its folder (nothing is written).

    Raises
    ------
    UnknownKindError, InvalidPluginNameError
        For a kind that does not exist or a name that cannot be an id, a distribution and a package name.
    """
    kind = parse_kind(kind)
    names = plugin_names(name, kind)
    template = TEMPLATES[kind]
    return {**common_files(names, kind, template), **template.files(names)}


def new_plugin(name: str, kind: str, directory: str | os.PathLike[str] = ".") -> Path:
    """Write a new plugin package ``neuroalign-<name>`` into ``directory``; returns its folder.

    The folder holds ``pyproject.toml`` (with the entry point), the package (a light module the entry point names,
    heavy code imported lazily, generated data where the kind needs some), ``README.md`` and ``tests/``.

    Raises
    ------
    UnknownKindError, InvalidPluginNameError
        See :func:`plugin_files`.
    TargetExistsError
        If the plugin's folder exists already (nothing is overwritten).
    """
    files = plugin_files(name, kind)
    target = Path(directory).expanduser() / plugin_names(name, parse_kind(kind)).distribution
    if target.exists():
        raise TargetExistsError(f"{target} exists already; choose another --directory or name (nothing is ever "
                                "overwritten)")
    target.mkdir(parents=True)
    for relative, content in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return target
