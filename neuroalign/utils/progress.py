"""Progress bars for long work (extraction, streaming, bootstraps, permutations, searchlights, grids).

A bar is drawn with rich on stderr, and only when stderr is a terminal: logs, CI output and pipes stay clean.
Every long operation takes ``progress=None`` (automatic), ``True`` (always) or ``False`` (never).
"""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")


@contextlib.contextmanager
def progress_bar(total: int, description: str, *, enabled: bool | None = None) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; a rich progress bar when enabled (default: stderr is a terminal and total > 1)."""
    show = (sys.stderr.isatty() and total > 1) if enabled is None else enabled
    if not show:
        yield lambda n: None
        return
    from rich.progress import Progress

    from rich.console import Console

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)


def track(items: Iterable[T], total: int, description: str, *, enabled: bool | None = None) -> Iterator[T]:
    """Yield ``items``, advancing a :func:`progress_bar` of ``total`` steps by one per item."""
    with progress_bar(total, description, enabled=enabled) as advance:
        for item in items:
            yield item
            advance(1)
