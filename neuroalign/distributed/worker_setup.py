"""What every Dask worker of a grid sets up when it starts (a worker plugin, so restarted workers get it too).

Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which hands freed memory back to the system
at once and turns off glibc's adaptive mmap threshold: every large temporary array of a scoring task then comes
from fresh pages. Measured on the grid-scaling case, that makes a task about twice as slow. The plugin sets
explicit thresholds instead (arrays up to 32 MB reuse heap memory; free memory beyond 256 MB at the top of the
heap is returned), which restores single-process speed while still trimming a worker that has shrunk.

On a cluster the executor started (a local or SLURM cluster, not a scheduler it was given), the plugin also stops
Dask's statistical profiler: every 10 ms it samples the stack of the running task on the worker's event loop,
taking the GIL from the task, for a profile page of a dashboard the executor never opens. Measured on the
grid-scaling case (``perf/cases/grid_scaling.py``, its ``profile``), the workers' threads other than the task's
used 43% as much CPU as the tasks themselves with the profiler, 25% without, and the grid took 19% less time.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from typing import Any

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


#: The worker's periodic callbacks that run its statistical profiler.
PROFILER_CALLBACKS = ("profile", "profile-cycle")


def stop_profiler(worker: Any) -> bool:
    """Stop a Dask worker's statistical profiler (see the module); whether it was running."""
    stopped = False
    for name in PROFILER_CALLBACKS:
        callback = worker.periodic_callbacks.pop(name, None)
        if callback is not None:
            callback.stop()
            stopped = True
    return stopped


class GridWorkerSetup(WorkerPlugin):
    """Tune malloc in each worker as it starts, and stop its profiler unless ``keep_profiler``.

    Parameters
    ----------
    keep_profiler : bool
        Leave Dask's statistical profiler running (on a cluster others use too, whose dashboards may show it).
    """

    name = "neuroalign-grid-worker"

    def __init__(self, keep_profiler: bool = False) -> None:
        self.keep_profiler = keep_profiler

    def setup(self, worker) -> None:  # noqa: ANN001 (distributed's signature)
        tune_malloc()
        if not self.keep_profiler:
            stop_profiler(worker)
