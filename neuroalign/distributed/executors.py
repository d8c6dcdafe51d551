"""The executor interface, and the serial executor (the default).

An executor maps a function over items and yields ``(item, result)`` pairs as results complete. It consumes the
items lazily, so the serial executor runs each unit as soon as the client has planned it, and a distributed one
submits each unit as soon as it is known. With ``keep_going=True`` an item whose task raised (after its retries)
yields a :class:`TaskFailure` in place of its result, and the other items go on. Executors are context managers: leaving the block releases whatever
they started (a local cluster and its worker processes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Protocol, TypeVar, runtime_checkable

from neuroalign.errors.applications import ExecutorOptionError

T = TypeVar("T")


@dataclass(frozen=True)
class TaskFailure:
    """What an item's task raised, yielded in place of its result by ``map_unordered(..., keep_going=True)``."""

    error: BaseException

    def __str__(self) -> str:
        return f"{type(self.error).__name__}: {self.error}"


@runtime_checkable
class Executor(Protocol):
    """What :func:`neuroalign.runs.grid.run` needs of an executor."""

    #: Whether items are shipped to other processes (so they must pickle).
    ships: bool

    def map_unordered(self, fn: Callable[[T], Any], items: Iterable[T], *,
                      priority: Callable[[T], int] | None = None, keep_going: bool = False) -> Iterator[tuple[T, Any]]:
        """Yield ``(item, fn(item))`` for every item, in completion order (``priority``: higher first); with
        ``keep_going`` a failed item yields a :class:`TaskFailure` instead of raising."""

    def __enter__(self) -> "Executor": ...

    def __exit__(self, *exc: Any) -> None: ...


class SerialExecutor:
    """Run every item in this process, one after the other, in the order given."""

    ships = False

    def __repr__(self) -> str:
        return "SerialExecutor()"

    def map_unordered(self, fn: Callable[[T], Any], items: Iterable[T], *,
                      priority: Callable[[T], int] | None = None, keep_going: bool = False) -> Iterator[tuple[T, Any]]:
        """Yield ``(item, fn(item))`` in the order given (``priority`` is ignored).

        An exception propagates, unless ``keep_going``: the item then yields a :class:`TaskFailure` and the next
        item runs (Ctrl-C and other non-``Exception`` errors always propagate).
        """
        for item in items:
            if not keep_going:
                yield item, fn(item)
                continue
            try:
                result = fn(item)
            except Exception as error:  # noqa: BLE001 - the caller reports every failure at the end
                result = TaskFailure(error)
            yield item, result

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

    raise ExecutorOptionError(f"executor must be None, 'serial', SerialExecutor() or DaskExecutor(...); got "
                              f"{executor!r}")
