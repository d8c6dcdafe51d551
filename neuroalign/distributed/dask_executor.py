"""Run work units on Dask distributed: a local cluster, an existing scheduler, or a SLURM cluster.

The client submits every unit as a task with ``retries`` (a task that failed is run again; one whose worker died
is re-run elsewhere by the scheduler), gathers results with ``as_completed`` and hands each back as soon as it is
done. Workers are single-threaded processes: numeric libraries parallelise within a task poorly at this size, and
one thread per worker keeps results identical to a serial run.
"""

from __future__ import annotations

import os
import uuid
from typing import Any, Callable, Iterable, Iterator, TypeVar

from neuroalign.errors.applications import ExecutorOptionError
from neuroalign.distributed.executors import TaskFailure
from neuroalign.distributed.slurm import slurm_cluster

T = TypeVar("T")


class DaskExecutor:
    """An executor on Dask distributed.

    Give exactly one of ``workers``, ``scheduler`` or ``cluster``.

    Parameters
    ----------
    workers : int, optional
        Start a local cluster of this many single-threaded worker processes (closed with the executor).
    scheduler : str, optional
        Address of a running scheduler (``"tcp://host:8786"``); its workers must reach the same cache directory.
    cluster : "slurm" or a Dask cluster object, optional
        ``"slurm"`` builds a SLURM cluster from ``options`` (see :mod:`neuroalign.distributed.slurm`); a cluster
        object is used as given (and not closed).
    retries : int
        Times a task that raises is re-run (2 by default). A task whose worker dies (killed, out of memory, node
        lost) is re-run on another worker by the scheduler in any case, up to Dask's
        ``distributed.scheduler.allowed-failures`` (3) deaths.
    memory_limit : str or int, optional
        Memory of each local worker (Dask's default: the machine's memory shared by the workers).
    **options
        SLURM options (``queue``, ``cores``, ``memory``, ``walltime``, ``jobs``, ``cache_dir``...) for
        ``cluster="slurm"``; ``jobs`` is 1 by default (0: start none, and scale the cluster yourself).
    """

    ships = True

    def __init__(self, workers: int | None = None, *, scheduler: str | None = None, cluster: Any = None,
                 retries: int = 2, memory_limit: str | int | None = None, **options: Any) -> None:
        given = [name for name, v in (("workers", workers), ("scheduler", scheduler), ("cluster", cluster))
                 if v is not None]
        if len(given) != 1:
            raise ExecutorOptionError(f"give exactly one of workers, scheduler or cluster; got {given or 'none'}")
        if workers is not None and workers < 1:
            raise ExecutorOptionError(f"workers must be >= 1; got {workers}")
        if options and cluster != "slurm":
            raise ExecutorOptionError(f"options {sorted(options)} are SLURM options; they need cluster='slurm'")
        if retries < 0:
            raise ExecutorOptionError(f"retries must be >= 0; got {retries}")
        self.workers, self.scheduler, self.cluster_spec = workers, scheduler, cluster
        self.retries, self.memory_limit, self.options = retries, memory_limit, dict(options)
        if cluster == "slurm":
            self.options.setdefault("jobs", 1)  # a cluster of no job would never run a task
        self._client: Any = None
        self._owned: Any = None  # a cluster this executor started, closed with it
        self._environ: dict[str, str] | None = None

    def __repr__(self) -> str:
        what = (f"workers={self.workers}" if self.workers is not None else
                f"scheduler={self.scheduler!r}" if self.scheduler is not None else f"cluster={self.cluster_spec!r}")
        return f"DaskExecutor({what}, retries={self.retries})"

    @property
    def client(self) -> Any:
        """The ``distributed.Client``, connected (and its cluster started) on first use."""
        if self._client is None:
            self._client = self._connect()
        return self._client

    def _connect(self) -> Any:
        try:
            from distributed import Client
        except ImportError as error:
            raise ImportError("Dask executors need dask[distributed]: pip install 'neuroalign[distributed]'") from error
        from neuroalign.distributed.worker_setup import GridWorkerSetup

        if isinstance(self.cluster_spec, str) and self.cluster_spec != "slurm":
            raise ExecutorOptionError(f"cluster must be 'slurm' or a Dask cluster object; got {self.cluster_spec!r}")
        if self.workers is not None:
            self._owned = self._local_cluster()
        elif self.cluster_spec == "slurm":
            self._owned = slurm_cluster(self.options)
        target = self.scheduler if self.scheduler is not None else self._owned if self._owned is not None \
            else self.cluster_spec
        client = Client(target)
        # a scheduler given by address may serve others: its workers keep their profiler
        client.register_plugin(GridWorkerSetup(keep_profiler=self.scheduler is not None))
        return client

    def _local_cluster(self) -> Any:
        from distributed import LocalCluster

        options: dict[str, Any] = {} if self.memory_limit is None else {"memory_limit": self.memory_limit}
        self._environ = dict(os.environ)
        try:
            return LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                dashboard_address=None, **options)
        finally:
            _restore_environ(self._environ)

    def map_unordered(self, fn: Callable[[T], Any], items: Iterable[T], *,
                      priority: Callable[[T], int] | None = None, keep_going: bool = False) -> Iterator[tuple[T, Any]]:
        """Submit ``fn(item)`` for every item and yield ``(item, result)`` as tasks complete.

        ``priority(item)`` orders the queue (higher first; submission order among equals). A task that still
        fails after ``retries`` re-runs raises its error here, or with ``keep_going`` yields a
        :class:`~neuroalign.distributed.executors.TaskFailure` while the other tasks go on; leaving the loop early
        (an exception in the caller, Ctrl-C) cancels the tasks not yet gathered.
        """
        from distributed import as_completed

        client = self.client
        pending: dict[str, tuple[Any, T]] = {}
        completed = as_completed()
        try:
            for item in items:
                future = client.submit(fn, item, retries=self.retries, pure=False,
                                       priority=0 if priority is None else priority(item),
                                       key=f"{getattr(fn, '__name__', 'task')}-{uuid.uuid4().hex}")
                pending[future.key] = (future, item)
                completed.add(future)
            for future in completed:
                _, item = pending.pop(future.key)
                if keep_going and future.status == "error":
                    yield item, TaskFailure(future.exception())
                else:
                    yield item, future.result()
        finally:
            if pending:
                client.cancel([future for future, _ in pending.values()], force=True)

    def close(self) -> None:
        """Close the client and any cluster this executor started (its worker processes end)."""
        client, owned = self._client, self._owned
        self._client = self._owned = None
        if client is not None:
            client.close()
        if owned is not None:
            owned.close()
        if self._environ is not None:
            _restore_environ(self._environ)

    def __enter__(self) -> "DaskExecutor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _restore_environ(before: dict[str, str]) -> None:
    """Undo what Dask's nannies write into this process's environment when they spawn workers.

    A nanny sets ``distributed.nanny.pre-spawn-environ`` (``OMP_NUM_THREADS=1``, ``MALLOC_TRIM_THRESHOLD_``...)
    in its own process before spawning; for a local cluster that is the client's, and every subprocess it started
    later would inherit single-threaded BLAS and the trimming malloc.
    """
    for name in set(os.environ) - set(before):
        del os.environ[name]
    os.environ.update(before)
