"""Where the time of a grid goes (issue 20, item 8): the profile that ``grid_scaling`` prints.

The grid runs through :class:`Profiled`, an executor wrapped around the real one that times every task inside the
process that runs it (wall, the task thread's CPU, the process's CPU) and measures, in the client, what each task
and each result weighs pickled and how long pickling it takes. Around a cluster grid, :func:`cluster_profile` adds
Dask's own record of each task (time spent deserialising and transferring its inputs), the CPU time the client and
scheduler (one process for a local cluster), the nannies and the workers spent outside the tasks, and the threads
each worker's BLAS and torch use against the cores it may run on.

:class:`PoolExecutor` runs the same tasks in two plain processes (no Dask): when its per-task CPU time rises as
the cluster's does, two tasks computing at once cost more on this machine (shared caches, memory bandwidth, the
host's scheduling of the virtual cores), not the executor.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import resource
import statistics
import sys
import time
from typing import Any, Callable, Iterable, Iterator

import cloudpickle

# The workers unpickle Timed from this module: sent by value, they need not import perf/cases.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


class Timed:
    """``fn(item)`` returning ``(result, timing)``, the timing measured where the task runs."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn, self.__name__ = fn, getattr(fn, "__name__", "task")

    def __call__(self, item: Any) -> tuple[Any, dict[str, Any]]:
        wall, thread, process, start = time.perf_counter(), time.thread_time(), time.process_time(), time.time()
        result = self.fn(item)
        return result, {"fn": self.__name__, "pid": os.getpid(), "start": start, "end": time.time(),
                        "wall_s": time.perf_counter() - wall, "thread_cpu_s": time.thread_time() - thread,
                        "process_cpu_s": time.process_time() - process}


class Profiled:
    """An executor that runs ``inner``'s tasks through :class:`Timed` and keeps the timings (``tasks``)."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.ships, self.tasks = inner, inner.ships, []

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any], **options: Any) -> Iterator[Any]:
        from neuroalign.distributed.executors import TaskFailure

        timed, sent = Timed(fn), {}

        def weighed(items: Iterable[Any]) -> Iterator[Any]:
            for item in items:  # what the client pickles to send each task (Dask pickles the same pair)
                started = time.perf_counter()
                size = len(cloudpickle.dumps((timed, item)))
                sent[id(item)] = (size, time.perf_counter() - started)
                yield item

        for item, out in self.inner.map_unordered(timed, weighed(items), **options):
            if isinstance(out, TaskFailure):
                yield item, out
                continue
            result, timing = out
            started = time.perf_counter()
            timing["result_bytes"] = len(cloudpickle.dumps(result))
            timing["result_pickle_s"] = time.perf_counter() - started
            timing["task_bytes"], timing["task_pickle_s"] = sent.pop(id(item), (0, 0.0))
            self.tasks.append(timing)
            yield item, result

    def __enter__(self) -> "Profiled":
        return self

    def __exit__(self, *exc: Any) -> None:
        pass


class PoolExecutor:
    """The grid's tasks in ``workers`` plain single-threaded processes (``concurrent.futures``, spawned)."""

    ships = True

    def __init__(self, workers: int = 2) -> None:
        import multiprocessing

        self.pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                                           initializer=one_thread)

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any], *, priority: Any = None,
                      keep_going: bool = False) -> Iterator[Any]:
        futures = {self.pool.submit(fn, item): item for item in items}
        for future in concurrent.futures.as_completed(futures):
            yield futures[future], future.result()

    def __enter__(self) -> "PoolExecutor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.pool.shutdown()


def one_thread() -> None:
    """One BLAS (and torch, when imported) thread in this process, as a Dask worker has."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)


def threads_here() -> dict[str, Any]:
    """The threads of this process's numeric libraries, and the cores it may run on."""
    from threadpoolctl import threadpool_info

    return {"blas": sorted({f"{i['internal_api']}={i['num_threads']}" for i in threadpool_info()}),
            "torch": sys.modules["torch"].get_num_threads() if "torch" in sys.modules else "not imported",
            "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"), "cores_allowed": len(os.sched_getaffinity(0)),
            "cores": os.cpu_count()}


def cpu_seconds() -> tuple[int, float]:
    """``(pid, user + system CPU time of this process so far)``."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return os.getpid(), usage.ru_utime + usage.ru_stime


def _by_process(before: dict[str, tuple[int, float]], after: dict[str, tuple[int, float]]) -> dict[int, float]:
    """CPU seconds spent between two ``client.run(cpu_seconds)`` per process (a local cluster's nannies all live
    in the client's process: counted once)."""
    return {after[k][0]: after[k][1] - before[k][1] for k in after if k in before}


def cluster_profile(client: Any, grid: Callable[[], Any]) -> dict[str, Any]:
    """Run ``grid()`` on ``client``'s cluster; what the client, nannies and workers spent, and Dask's task record."""
    from distributed import get_task_stream

    workers0, nannies0, (client_pid, client0) = client.run(cpu_seconds), client.run(cpu_seconds, nanny=True), \
        cpu_seconds()
    wall = time.perf_counter()
    with get_task_stream(client) as stream:
        grid()
    wall = time.perf_counter() - wall
    client_cpu = cpu_seconds()[1] - client0
    workers = _by_process(workers0, client.run(cpu_seconds))
    nannies = {pid: s for pid, s in _by_process(nannies0, client.run(cpu_seconds, nanny=True)).items()
               if pid != client_pid}
    actions: dict[str, float] = {}
    for task in stream.data:
        for span in task.get("startstops", ()):
            actions[span["action"]] = actions.get(span["action"], 0.0) + span["stop"] - span["start"]
    return {"wall_s": wall, "client_scheduler_cpu_s": client_cpu, "worker_cpu_s": sum(workers.values()),
            "nanny_cpu_s": sum(nannies.values()), "nannies_in_client_process": not nannies, "dask_seconds_by_action": actions,
            "threads": sorted({json.dumps(t, sort_keys=True) for t in client.run(threads_here).values()})}


def task_summary(tasks: list[dict[str, Any]], wall_s: float) -> dict[str, Any]:
    """Per-task and whole-grid figures of one run's task timings (the scoring tasks only)."""
    units = [t for t in tasks if t["fn"] == "run_unit"]
    busy: dict[int, float] = {}
    for t in units:
        busy[t["pid"]] = busy.get(t["pid"], 0.0) + t["wall_s"]
    return {"tasks": len(units), "processes": len(busy),
            "task_wall_s": round(sum(t["wall_s"] for t in units), 3),
            "task_thread_cpu_s": round(sum(t["thread_cpu_s"] for t in units), 3),
            "task_process_cpu_s": round(sum(t["process_cpu_s"] for t in units), 3),
            "median_task_wall_s": round(statistics.median(t["wall_s"] for t in units), 3),
            "task_bytes": sum(t.get("task_bytes", 0) for t in units),
            "result_bytes": sum(t.get("result_bytes", 0) for t in units),
            "pickle_s": round(sum(t.get("task_pickle_s", 0.0) + t.get("result_pickle_s", 0.0) for t in units), 4),
            "grid_wall_s": round(wall_s, 3),
            # the time a process waited between tasks, within the grid (scheduling, the client, the tail)
            "idle_per_process_s": round(wall_s - statistics.mean(busy.values()), 3) if busy else None}


def rounded(value: Any) -> Any:
    """Floats of a nested structure to 4 decimals (for the case's JSON line)."""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value
