"""Where data lives: the per-user cache, mirror directories, and offline mode (each overridable by environment)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence, Union

#: Per-user cache of fetched dataset files, laid out as ``<cache>/<dataset id>/<file name>``.
CACHE_ENV = "NEUROALIGN_DATA_CACHE"
#: Read-only mirror directories consulted before the network, ``os.pathsep``-separated, each laid out like the cache.
MIRROR_ENV = "NEUROALIGN_DATA_MIRROR"
#: Set to 1/true/yes to forbid downloads; missing files then raise an error that says where they were looked for.
OFFLINE_ENV = "NEUROALIGN_OFFLINE"

PathLike = Union[str, "os.PathLike[str]"]
MirrorSpec = Union[PathLike, Sequence[PathLike], None]


def cache_dir(cache: PathLike | None = None) -> Path:
    """The data cache: ``cache`` if given, else ``$NEUROALIGN_DATA_CACHE``, else the user cache directory."""
    if cache is not None:
        return Path(cache)
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    import pooch  # the platform's user cache directory (XDG on Linux, Library/Caches on macOS)

    return Path(pooch.os_cache("neuroalign")) / "data"


def mirror_dirs(mirror: MirrorSpec = None) -> list[Path]:
    """Mirror directories: ``mirror`` (one path or several) if given, else those in ``$NEUROALIGN_DATA_MIRROR``."""
    if mirror is None:
        return [Path(p) for p in os.environ.get(MIRROR_ENV, "").split(os.pathsep) if p]
    if isinstance(mirror, (str, os.PathLike)):
        return [Path(mirror)]
    return [Path(p) for p in mirror]


def offline_mode(offline: bool | None = None) -> bool:
    """Whether downloads are forbidden: ``offline`` if given, else ``$NEUROALIGN_OFFLINE``."""
    if offline is not None:
        return bool(offline)
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in ("1", "true", "yes", "on")
