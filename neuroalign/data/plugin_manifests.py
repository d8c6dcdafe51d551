"""The manifests dataset plugins ship: each plugin's adapter class names its manifest file in ``MANIFEST``.

Read through :mod:`neuroalign.entry_points` (the base layer), so that the data layer finds plugin manifests without
importing the plugin catalogue; ``neuroalign list datasets`` and ``neuroalign plugin check`` say why a plugin was
skipped.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from neuroalign.entry_points import conflicts, discover, resolve
from neuroalign.errors import PluginContractError


def manifest_path(cls: Any, plugin_id: str) -> Path:
    """The manifest file a dataset plugin's adapter class declares in ``MANIFEST`` (next to its module).

    Raises
    ------
    PluginContractError
        If the object is not a class, has no string ``MANIFEST``, or the file is missing.
    """
    where = f"dataset plugin {plugin_id!r}"
    if not inspect.isclass(cls):
        raise PluginContractError(f"{where} resolves to a {type(cls).__name__}, not a dataset adapter class")
    name = getattr(cls, "MANIFEST", None)
    if not isinstance(name, str) or not name:
        raise PluginContractError(f"{where}: adapter class {cls.__name__} has no MANIFEST attribute naming its "
                                  "manifest file (for example MANIFEST = \"my_data.toml\")")
    path = Path(inspect.getfile(cls)).resolve().with_name(name)
    if not path.is_file():
        raise PluginContractError(f"{where}: MANIFEST names {name!r}, but {path} does not exist (ship it as package "
                                  "data next to the module)")
    return path


def dataset_manifest_paths() -> list[Path]:
    """The manifest files of the dataset plugins that resolve, are unique and declare ``MANIFEST``.

    A plugin that fails any of these is skipped here; ``neuroalign list datasets`` and ``neuroalign plugin check``
    say why.
    """
    paths = []
    entries = discover("dataset")
    clashing = conflicts(entries)
    for entry in entries:
        if (entry.kind, entry.id) in clashing:
            continue
        record = resolve(entry)
        if record.broken:
            continue
        try:
            paths.append(manifest_path(record.obj, entry.id))
        except PluginContractError:
            continue
    return paths
