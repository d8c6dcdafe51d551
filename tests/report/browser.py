"""Headless Chromium for the report tests: ``--dump-dom``/``--screenshot`` runs, and a DevTools session over a pipe.

:class:`Browser` drives one page through the Chrome DevTools Protocol on ``--remote-debugging-pipe`` (messages
are JSON separated by NUL bytes; Chromium reads fd 3 and writes fd 4), so a test can click, read the DOM after
scripts ran and take screenshots, with nothing but the standard library.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed; `bash scripts/install.sh test` installs Debian's "
                             "package where apt-get and root rights are available")

#: A page's console message in Chromium's log (``--enable-logging=stderr --v=0``): ``INFO:CONSOLE(12)] "..."`` in
#: older builds, ``INFO:CONSOLE:12] "..."`` in current ones (Chromium 150 here), every level alike; an uncaught
#: exception reads ``"Uncaught Error: ..."``. The report's script logs nothing, so any console message is a failure.
CONSOLE = re.compile(r":CONSOLE[(:]\d+\)?\]|Uncaught")
_FLAGS = ("--headless=new", "--disable-gpu", "--no-sandbox")


def chromium(profile: Path, page: Path, *options: str) -> subprocess.CompletedProcess:
    """Run Chromium once on ``page`` (e.g. with ``--dump-dom`` or ``--screenshot=...``) and return the run."""
    command = [CHROMIUM, *_FLAGS, "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}", *options,
               page.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def console(stderr: str) -> list[str]:
    """The console messages in Chromium's log."""
    return [line for line in stderr.splitlines() if CONSOLE.search(line)]


def _above_stdio(fd: int) -> int:
    """``fd`` moved to a number >= 10, so that the child's redirections to 3 and 4 cannot clobber it."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class Browser:
    """One headless Chromium with one page, driven over the DevTools pipe (a context manager)."""

    def __init__(self, profile: Path, *, width: int = 1280, height: int = 2000) -> None:
        to_child, self._to_browser = os.pipe()
        self._from_browser, from_child = os.pipe()
        to_child, from_child = _above_stdio(to_child), _above_stdio(from_child)
        # bash puts the pipe ends on fds 3 and 4, where --remote-debugging-pipe expects them
        self._process = subprocess.Popen(
            ["bash", "-c", f'exec "$@" 3<&{to_child} 4>&{from_child}', "bash", CHROMIUM, *_FLAGS,
             "--remote-debugging-pipe", f"--user-data-dir={profile}", f"--window-size={width},{height}",
             "about:blank"], pass_fds=(to_child, from_child), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child)
        os.close(from_child)
        self._buffer, self._next = b"", 0
        self._session: str | None = None
        self.size = (width, height)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            self.send("Browser.close", browser=True)
        except (OSError, RuntimeError):
            pass
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
        os.close(self._to_browser)
        os.close(self._from_browser)

    def send(self, method: str, *, browser: bool = False, **params: Any) -> dict[str, Any]:
        """Call a DevTools method (on the page's session unless ``browser``) and return its result."""
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if self._session is not None and not browser:
            message["sessionId"] = self._session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            while b"\0" not in self._buffer:
                chunk = os.read(self._from_browser, 1 << 16)
                if not chunk:
                    raise RuntimeError(f"Chromium closed the DevTools pipe during {method}")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
        raise RuntimeError(f"no answer to {method} within 60 s")

    def open(self, page: Path) -> None:
        """Load ``page`` in a new tab and wait until it has loaded."""
        target = self.send("Target.createTarget", browser=True, url="about:blank")["targetId"]
        self._session = self.send("Target.attachToTarget", browser=True, targetId=target, flatten=True)["sessionId"]
        self.send("Emulation.setDeviceMetricsOverride", width=self.size[0], height=self.size[1],
                  deviceScaleFactor=1, mobile=False)
        self.send("Page.navigate", url=page.resolve().as_uri())
        for _ in range(200):
            if self.evaluate("document.readyState") == "complete":
                return
            time.sleep(0.05)
        raise RuntimeError(f"{page} did not finish loading")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-serialisable)."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path, *, full_page: bool = False) -> Path:
        """A PNG of the viewport (or of the whole page) written to ``path``."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
            width, height = self.evaluate("[document.documentElement.scrollWidth, "
                                          "document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", **params)["data"]))
        return path
