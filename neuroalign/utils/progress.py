"""Progress for long work (extraction, streaming, bootstraps, permutations, searchlights, grids, alignments).

On a terminal a bar is drawn with rich on stderr. Elsewhere (a log, CI, a pipe) the inner loops stay silent, and
the loops over *tasks* (``lines=True``: a batch of stimuli extracted, a pair of sources aligned) print one line per
finished task on stderr instead, so that a long command in a log is never silent for a minute. Every long
operation takes ``progress=None`` (automatic), ``True`` (always a bar) or ``False`` (nothing).
"""

from __future__ import annotations

import contextlib
import sys
import time
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")

#: Above this many tasks, a line is printed per 2 % of them (at most 50 lines), not per task.
MAX_LINES = 50


class _Lines:
    """``advance(n, label)`` printing ``description: done/total (elapsed) label`` on stderr."""

    def __init__(self, total: int, description: str) -> None:
        self.total, self.description, self.done, self.printed = total, description, 0, 0
        self.started = time.perf_counter()

    def __call__(self, n: int = 1, label: str | None = None) -> None:
        self.done += n
        step = max(1, -(-self.total // MAX_LINES))  # ceil(total / MAX_LINES)
        if self.done // step > self.printed // step or self.done >= self.total:
            if self.printed == self.done:
                return
            self.printed = self.done
            suffix = f" {label}" if label else ""
            print(f"{self.description}: {self.done}/{self.total} ({time.perf_counter() - self.started:.1f} s)"
                  f"{suffix}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def progress_bar(total: int, description: str, *, enabled: bool | None = None,
                 lines: bool = False) -> Iterator[Callable[..., None]]:
    """Yield ``advance(n, label=None)``.

    Parameters
    ----------
    total : int
        The number of steps.
    description : str
        What is progressing (the bar's text, each line's start).
    enabled : bool, optional
        ``True``: a bar; ``False``: nothing; None (default): a bar when stderr is a terminal and ``total > 1``,
        else lines (with ``lines``) or nothing.
    lines : bool
        The steps are tasks worth a line each when stderr is not a terminal (see the module docstring).
    """
    terminal = sys.stderr.isatty()
    show = (terminal and total > 1) if enabled is None else enabled
    if not show:
        if lines and enabled is None and not terminal and total > 0:
            yield _Lines(total, description)
        else:
            yield lambda n=1, label=None: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)

        def advance(n: int = 1, label: str | None = None) -> None:
            bar.advance(task, n)
            if label:
                bar.update(task, description=f"{description} {label}")

        yield advance


@contextlib.contextmanager
def progress_lines(total: int, description: str) -> Iterator[Callable[..., None]]:
    """Yield ``advance(n, label=None)`` printing the task lines of :func:`progress_bar` when stderr is not a terminal,
    and doing nothing on a terminal: for a command whose inner loop already draws the bar there (a second live bar
    would fight it), but whose log must still show each finished task."""
    if sys.stderr.isatty() or total <= 0:
        yield lambda n=1, label=None: None
    else:
        yield _Lines(total, description)


def track(items: Iterable[T], total: int, description: str, *, enabled: bool | None = None) -> Iterator[T]:
    """Yield ``items``, advancing a :func:`progress_bar` of ``total`` steps by one per item."""
    with progress_bar(total, description, enabled=enabled) as advance:
        for item in items:
            yield item
            advance(1)
