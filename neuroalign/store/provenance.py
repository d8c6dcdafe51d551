"""Provenance helpers: the software environment, file hashes, and merging provenance documents."""

from __future__ import annotations

import functools
import os
import platform
import socket
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Mapping

#: The distributions whose versions :func:`environment_provenance` records.
PACKAGES = ("neuroalign", "numpy", "scipy", "torch", "transformers", "mne", "nilearn", "rsatoolbox", "himalaya",
            "h5py")


def environment_provenance(packages: tuple[str, ...] = PACKAGES) -> dict[str, Any]:
    """The Python, platform, host and package versions of this process.

    Package versions come from the installed distributions' metadata, so nothing is imported (torch alone would
    take seconds); each is read once per process (reading them all costs about 11 ms, a lot for a large grid).

    Parameters
    ----------
    packages : tuple of str
        Distribution names to record; a missing one is recorded as ``None``.

    Returns
    -------
    dict
        ``{"python": "3.11.7", "python_implementation": "CPython", "platform": ..., "hostname": ...,
        "packages": {"numpy": "2.4.6", "torch": None, ...}}``.
    """
    return {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "hostname": socket.gethostname(),
        "executable": sys.executable,
        "packages": {name: _installed_version(name) for name in packages},
    }


@functools.lru_cache(maxsize=None)
def _installed_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def file_sha256(path: str | os.PathLike[str], *, chunk_size: int = 1 << 20) -> str:
    """The hex sha256 of a file, read in chunks so that a large file never sits in memory whole.

    Parameters
    ----------
    path : path-like
        The file.
    chunk_size : int
        Bytes read at a time.

    Returns
    -------
    str
        64 hex characters.
    """
    from neuroalign.data.mirror import sha256_of

    return sha256_of(path, block=chunk_size)


def merge_provenance(*parts: Mapping[str, Any] | None) -> dict[str, Any]:
    """Merge provenance documents; nested mappings merge key by key, later parts win on any other conflict.

    Parameters
    ----------
    *parts : mapping or None
        Provenance documents, the most general first (``None`` is skipped). None is modified.

    Returns
    -------
    dict
        A new document.

    Examples
    --------
    >>> merge_provenance({"seed": 1, "env": {"python": "3.11"}}, {"env": {"host": "a"}})
    {'seed': 1, 'env': {'python': '3.11', 'host': 'a'}}
    """
    merged: dict[str, Any] = {}
    for part in parts:
        for key, value in (part or {}).items():
            if isinstance(value, Mapping):
                earlier = merged.get(key)  # copied through the recursion, so no input is shared or modified
                merged[key] = merge_provenance(earlier if isinstance(earlier, Mapping) else None, value)
            else:
                merged[key] = value
    return merged
