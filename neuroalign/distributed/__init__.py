"""Where a grid of model x benchmark requests runs: serially (the default) or on Dask distributed.

>>> from neuroalign.runs import run                                    # doctest: +SKIP
>>> from neuroalign.distributed import DaskExecutor                     # doctest: +SKIP
>>> with DaskExecutor(workers=4) as ex:                                 # doctest: +SKIP
...     table = run(["model-a", "model-b"], ["bench.x"], store="r.sqlite", executor=ex)

Workers compute scores; the client alone writes the results store, each result as soon as it arrives. See
``docs/distributed.md``.
"""

from neuroalign.distributed.dask_executor import DaskExecutor
from neuroalign.errors.applications import DistributedError, ExecutorOptionError, UnshippableModelError
from neuroalign.distributed.executors import Executor, SerialExecutor, as_executor
from neuroalign.distributed.units import ModelInfo, TaskResult, WorkUnit


def __getattr__(name: str):
    """The scoring task's memory preflight (:mod:`neuroalign.models.scoring_memory`), imported when first asked:
    neuroalign.models imports torch when the package loads."""
    if name in ("TaskFootprint", "choose_path", "task_footprint"):
        from neuroalign.distributed import memory

        return getattr(memory, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["DaskExecutor", "DistributedError", "Executor", "ExecutorOptionError", "ModelInfo", "SerialExecutor",
           "TaskFootprint", "TaskResult", "UnshippableModelError", "WorkUnit", "as_executor", "choose_path",
           "task_footprint"]
