"""Plugin-test fixtures: a private site folder on ``sys.path`` (and ``PYTHONPATH``, for subprocesses)."""

from __future__ import annotations

import os
import sys

import pytest


@pytest.fixture
def site(tmp_path, monkeypatch):
    """An empty folder put first on ``sys.path`` and ``PYTHONPATH``; the modules imported from it are forgotten
    afterwards, so that each test's distributions stay its own."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH")) if p))
    before = set(sys.modules)
    yield folder
    for name in set(sys.modules) - before:
        module = sys.modules.get(name)
        if module is not None and str(getattr(module, "__file__", "") or "").startswith(str(folder)):
            del sys.modules[name]
