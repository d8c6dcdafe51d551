"""Writing real (if tiny) installed distributions into a folder: a ``.dist-info`` with ``METADATA`` and
``entry_points.txt``, and their modules, exactly what ``importlib.metadata`` reads for a pip-installed package."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping


def write_distribution(site: Path, name: str, entry_points: Mapping[str, Mapping[str, str]],
                       modules: Mapping[str, str] = {}, version: str = "0.1") -> Path:
    """Install distribution ``name`` into ``site``: ``entry_points`` is ``{group: {id: "module:attr"}}`` and
    ``modules`` is ``{file name: source}``. Returns the ``.dist-info`` folder."""
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    sections = [f"[{group}]\n" + "".join(f"{key} = {value}\n" for key, value in points.items())
                for group, points in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(sections))
    for filename, source in modules.items():
        (site / filename).write_text(source)
    return info
