"""Which results store a grid or a command uses when none is named (``$NEUROALIGN_RESULTS``, else the user's data
folder), in a module that imports nothing heavy: the command line reads :data:`RESULTS_ENV` to build its help.

:mod:`neuroalign.runs.grid` re-exports these names; ``neuroalign.benchmarks.store_location`` forwards to them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neuroalign.store import ResultsStore


#: Where results go when no store is given: ``$NEUROALIGN_RESULTS``, else the user's data folder.
RESULTS_ENV = "NEUROALIGN_RESULTS"


def default_store_path() -> Path:
    """``$NEUROALIGN_RESULTS`` or ``$XDG_DATA_HOME/neuroalign/results.sqlite`` (``~/.local/share/...``)."""
    if os.environ.get(RESULTS_ENV):
        return Path(os.environ[RESULTS_ENV])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "neuroalign" / "results.sqlite"


def open_store(store: "ResultsStore | str | os.PathLike[str] | None", *, create: bool = True) -> "ResultsStore":
    """A :class:`ResultsStore` from a store, a path or ``postgresql://`` URL, or ``None`` (``$NEUROALIGN_RESULTS``,
    a path or URL, else :func:`default_store_path`).

    ``create=False`` (for code that only reads results) makes a missing store a
    :class:`~neuroalign.store.StoreNotFoundError` instead of a new empty file.
    """
    from neuroalign.store import ResultsStore

    if isinstance(store, ResultsStore):
        return store
    # as given, not through Path, which would fold the // of a URL
    return ResultsStore(store if store is not None else os.environ.get(RESULTS_ENV) or default_store_path(),
                        create=create)
