"""Data-layer fixtures: an empty per-test cache, offline by default, no mirror unless a test passes one."""

from __future__ import annotations

import http.server
import threading
from functools import partial

import pytest

from neuroalign.data.settings import CACHE_ENV, MIRROR_ENV, OFFLINE_ENV


@pytest.fixture(autouse=True)
def isolated_data_env(tmp_path, monkeypatch):
    """Nothing in tests/data touches the user cache or the network unless it serves the files itself."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(OFFLINE_ENV, "1")
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    monkeypatch.delenv("NEUROALIGN_MANIFESTS", raising=False)


@pytest.fixture
def http_server(tmp_path):
    """A real HTTP server on 127.0.0.1 serving ``tmp_path / "served"``; yields (directory, base URL)."""
    root = tmp_path / "served"
    root.mkdir()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
