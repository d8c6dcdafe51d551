"""What every Dask worker of a grid sets up when it starts (a worker plugin, so restarted workers get it too).

Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which hands freed memory back to the system
at once and turns off glibc's adaptive mmap threshold: every large temporary array of a scoring task then comes
from fresh pages. Measured on the grid-scaling case, that makes a task about twice as slow. The plugin sets
explicit thresholds instead (arrays up to 32 MB reuse heap memory; free memory beyond 256 MB at the top of the
heap is returned), which restores single-process speed while still trimming a worker that has shrunk.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

from distributed.diagnostics.plugin import WorkerPlugin

# mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD = 32 * 1024 ** 2
TRIM_THRESHOLD = 256 * 1024 ** 2


def tune_malloc() -> bool:
    """Set glibc's mmap and trim thresholds (see the module); ``False`` where there is no glibc."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) and libc.mallopt(_M_TRIM_THRESHOLD,
                                                                                   TRIM_THRESHOLD))
    except (OSError, AttributeError):  # musl and others: no mallopt
        return False


class GridWorkerSetup(WorkerPlugin):
    """Tune malloc in each worker as it starts."""

    name = "neuroalign-grid-worker"

    def setup(self, worker) -> None:  # noqa: ANN001 (distributed's signature)
        tune_malloc()
