"""The executor interface, and the serial executor (the default).

An executor maps a function over items and yields ``(item, result)`` pairs as results complete. It consumes the
items lazily, so the serial executor runs each unit as soon as the client has planned it, and a distributed one
submits each unit as soon as it is known. Executors are context managers: leaving the block releases whatever
they started (a local cluster and its worker processes).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Protocol, TypeVar, runtime_checkable

T = TypeVar("T")


@runtime_checkable
class Executor(Protocol):
    """What :func:`neuroalign.benchmarks.grid.run` needs of an executor."""

    #: Whether items are shipped to other processes (so they must pickle).
    ships: bool

    def map_unordered(self, fn: Callable[[T], Any], items: Iterable[T], *,
                      priority: Callable[[T], int] | None = None) -> Iterator[tuple[T, Any]]:
        """Yield ``(item, fn(item))`` for every item, in completion order (``priority``: higher first)."""

    def __enter__(self) -> "Executor": ...

    def __exit__(self, *exc: Any) -> None: ...


class SerialExecutor:
    """Run every item in this process, one after the other, in the order given."""

    ships = False

    def __repr__(self) -> str:
        return "SerialExecutor()"

    def map_unordered(self, fn: Callable[[T], Any], items: Iterable[T], *,
                      priority: Callable[[T], int] | None = None) -> Iterator[tuple[T, Any]]:
        """Yield ``(item, fn(item))`` in the order given (``priority`` is ignored); an exception propagates."""
        for item in items:
            yield item, fn(item)

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> "SerialExecutor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def as_executor(executor: Any) -> Any:
    """An executor from ``None`` / ``"serial"`` (the serial executor) or an executor object, returned as is."""
    if executor is None or executor == "serial":
        return SerialExecutor()
    if isinstance(executor, Executor):
        return executor
    from neuroalign.distributed.errors import ExecutorOptionError

    raise ExecutorOptionError(f"executor must be None, 'serial', SerialExecutor() or DaskExecutor(...); got "
                              f"{executor!r}")
