"""The software environment of this process, as provenance records it (base layer: scoring records it in each
score, the results store in each record)."""

from __future__ import annotations

import functools
import platform
import socket
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

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
