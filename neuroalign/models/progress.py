"""A progress bar for long extractions, shown only when stderr is a terminal (never in logs or CI output)."""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterator


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
