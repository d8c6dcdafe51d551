"""Fixtures shared by the documentation tests: one activation cache and one result of each expensive step per test
run, even when pytest-xdist spreads these tests over several workers (which it does here: its ``xdist_group``
marks did not keep tests on one worker with the installed pytest-xdist 3.8)."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Callable

import pytest


def _shared_root(tmp_path_factory) -> Path:
    """A folder every worker of this test run sees: the parent of the workers' base temp folders under xdist."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def docs_activation_cache(tmp_path_factory) -> Path:
    """One activation cache for the code blocks and the gallery: a pretrained model sees the 92 images once.

    Sharing it is safe, also between processes: entries are content-hashed (model weights, stimuli, layers,
    pooling), written atomically and locked while written.
    """
    folder = _shared_root(tmp_path_factory) / "docs_activations"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def once_per_run(tmp_path_factory) -> Callable[[str, Callable[[], object]], object]:
    """``once_per_run(name, compute)``: ``compute()``'s JSON-able result, computed by the first worker that asks
    and read back by the others (which wait for it), so that the site is built and the code blocks run once."""
    root = _shared_root(tmp_path_factory)

    def run(name: str, compute: Callable[[], object]) -> object:
        result = root / f"{name}.json"
        with open(root / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if compute() raises
            if not result.exists():
                result.write_text(json.dumps(compute()))
        return json.loads(result.read_text())

    return run
