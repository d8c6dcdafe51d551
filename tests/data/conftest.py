"""Data-layer fixtures: an empty per-test cache, offline by default, no mirror unless a test passes one."""

from __future__ import annotations

import http.server
import threading
from functools import partial

import pytest


@pytest.fixture(autouse=True)
def _isolated(isolated_data_env):
    """Nothing in tests/data touches the user cache or the network unless it serves the files itself."""


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
