"""A real HTTP server on 127.0.0.1 that answers like OpenNeuro's S3 bucket: ``/<accession>/<path>?versionId=<id>``.

Each served object has one version id; a request with another (or none, when ``versioned``) gets 404, as S3 does
for an unknown version. Behaviours per object: ``"ok"``, ``"truncate"`` (announce the full length, close after half
the bytes, once), ``"slow"`` (send in small chunks with a pause between them) and ``"stall"`` (send half, then hang
longer than the client's timeout, once). ``Range`` requests are honoured (206), as S3 does.
"""

from __future__ import annotations

import http.server
import threading
import time
import urllib.parse
from dataclasses import dataclass, field


@dataclass
class Served:
    """One object: its bytes, version id and behaviour; ``requests`` logs the Range header of each request."""

    data: bytes
    version: str
    mode: str = "ok"
    requests: list = field(default_factory=list)
    misbehaved: bool = False


class OpenNeuroServer:
    """Start with ``with OpenNeuroServer() as server``; ``server.add(path, data, version)``; ``server.url(path)``."""

    def __init__(self, pause: float = 0.05, stall: float = 3.0) -> None:
        self.objects: dict[str, Served] = {}
        self.pause, self.stall = pause, stall
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                parsed = urllib.parse.urlparse(self.path)
                obj = outer.objects.get(parsed.path)
                version = urllib.parse.parse_qs(parsed.query).get("versionId", [None])[0]
                if obj is None or version != obj.version:
                    self.send_error(404, "NoSuchVersion" if obj is not None else "NoSuchKey")
                    return
                obj.requests.append(self.headers.get("Range"))
                start = 0
                if self.headers.get("Range"):
                    start = int(self.headers["Range"].split("=")[1].split("-")[0])
                body = obj.data[start:]
                self.send_response(206 if start else 200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if obj.mode in ("truncate", "stall") and not obj.misbehaved:
                    obj.misbehaved = True
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    if obj.mode == "stall":
                        time.sleep(outer.stall)
                    self.close_connection = True
                    return
                if obj.mode == "slow":
                    for k in range(0, len(body), 4096):
                        self.wfile.write(body[k:k + 4096])
                        self.wfile.flush()
                        time.sleep(outer.pause)
                    return
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, path: str, data: bytes, version: str, mode: str = "ok") -> Served:
        """Serve ``data`` at ``/<path>?versionId=<version>``."""
        self.objects["/" + path] = Served(data, version, mode)
        return self.objects["/" + path]

    def url(self, path: str, version: str | None) -> str:
        """The versioned address of ``path`` (the plain one when ``version`` is None)."""
        return f"{self.base}/{path}" + (f"?versionId={version}" if version else "")

    def __enter__(self) -> "OpenNeuroServer":
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
