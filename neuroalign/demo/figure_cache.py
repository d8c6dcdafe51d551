"""Drawn figures kept beside the activation cache, so that redrawing the same data is a file copy.

Drawing the demo's layer profiles means importing matplotlib's figure machinery and rendering (about 2 s), for a
figure that is the same file whenever its data are the same. A figure is kept under a key that hashes everything
that decides its bytes: the data drawn (every value), the file format and resolution, the matplotlib version and
its settings (``rcParams``, which a user's ``matplotlibrc`` changes), and the source of the code that draws it. Any
change gives another key, so a kept figure is never stale; at worst it is not used.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from neuroalign.utils.atomic import atomic_path

_FORMAT = 1

#: The code that draws the demo's figure: its source is part of the key (an edited plot is drawn again).
_DRAWING_CODE = (Path(__file__).parent / "leaderboard92.py", *sorted(
    (Path(__file__).parents[1] / "report" / "plots").glob("*.py")))


def figures_dir() -> Path:
    """``figures/`` beside the activation cache (``~/.cache/neuroalign/figures``)."""
    from neuroalign.cache.location import default_cache_dir

    return default_cache_dir().parent / "figures"


def figure_key(path: Any, data: Any, *, dpi: float | None) -> str:
    """The key of the figure drawn from ``data`` (plain JSON: numbers, strings, lists) into ``path``'s format.

    Imports matplotlib itself (0.1 s), not its figure machinery: its version and settings are part of the key.
    """
    import matplotlib  # its settings decide the pixels

    # dict.items: reading rcParams["backend"] through the mapping would resolve (import) a backend
    settings = sorted((name, repr(value)) for name, value in dict.items(matplotlib.rcParams) if name != "backend")
    code = hashlib.sha256()
    for source in _DRAWING_CODE:
        code.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    doc = {"format": _FORMAT, "suffix": Path(path).suffix.lower(), "dpi": dpi, "data": data,
           "matplotlib": matplotlib.__version__, "rc": settings, "code": code.hexdigest()}
    # repr of floats is exact: a value that differs in its last bit is another figure
    return hashlib.sha256(json.dumps(doc, sort_keys=True, allow_nan=True).encode()).hexdigest()[:40]


def _kept(key: str, path: Any) -> Path:
    return figures_dir() / f"{key}{Path(path).suffix.lower()}"


def restore_figure(key: str, path: Any) -> bool:
    """Copy the figure kept under ``key`` to ``path`` (atomically); False when none is kept."""
    kept = _kept(key, path)
    if not kept.is_file():
        return False
    target = Path(path)
    try:
        with atomic_path(target) as tmp:
            shutil.copyfile(kept, tmp)
    except FileNotFoundError:  # removed meanwhile (a cache cleaned by another process): draw it
        return False
    return True


def keep_figure(key: str, path: Any) -> None:
    """Keep the figure just written to ``path`` under ``key``; a figure that cannot be kept is not (a shortcut)."""
    kept = _kept(key, path)
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(kept) as tmp:
            shutil.copyfile(path, tmp)
    except OSError:
        pass
