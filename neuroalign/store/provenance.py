"""Provenance helpers: the software environment, file hashes, and merging provenance documents."""

from __future__ import annotations

import os
from typing import Any, Mapping

from neuroalign.data.mirror import sha256_of
from neuroalign.utils.environment import PACKAGES, environment_provenance  # noqa: F401  (re-exported)

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
