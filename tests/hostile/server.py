"""A loopback API server that each test scripts into a hostile or broken one.

By default it answers like the real service, for one image task; a test
replaces the answer of one path (`server.routes[path] = answer`) to attack
the client there. Every request it receives is kept, with its headers.
"""

from __future__ import annotations

import functools
import json
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs

from dragoneye import BboxObservation, ImageCategoryPrediction, ImageDetectedObject
from dragoneye.emulator.archive import encode_results

TASK = "11111111-2222-3333-4444-555555555555"
KEY = "hostile-test-key-3f9c2a"

Answer = Callable[["Exchange"], None]


@attrs.frozen
class Received:
    method: str
    path: str
    headers: dict[str, str]


class Exchange(BaseHTTPRequestHandler):
    """One request to the hostile server; answers write the response through it."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()

    def _route(self) -> None:
        path = self.path.split("?", 1)[0]
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.server.owner.received.append(Received(self.command, path, dict(self.headers.items())))
        answer = self.server.owner.routes.get(path)
        if answer is None:
            self.reply(404, {"detail": f"no route {path}"})
        else:
            answer(self)

    def reply(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        """Answer `status` with `body` (bytes, or JSON for anything else)."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if not headers or "Content-Type" not in headers:
            self.send_header("Content-Type", "application/json" if not isinstance(body, bytes) else "application/zip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def drop(self) -> None:
        """Close the connection without answering."""
        self.close_connection = True
        self.wfile.flush()
        self.connection.shutdown(2)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: HostileServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up on hostile answers is the point


class HostileServer:
    """The server; `url` is its base URL."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.routes: dict[str, Answer] = {}
        self._http = _Server(("127.0.0.1", 0), Exchange)
        self._http.owner = self
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}"
        self.routes.update(
            {
                "/prediction-task/begin": lambda ex: ex.reply(200, begin_body(self.url + "/upload")),
                "/upload": lambda ex: ex.reply(204, b""),
                "/predict": lambda ex: ex.reply(200, {}),
                "/prediction-task/status": lambda ex: ex.reply(200, status_body("predicted")),
                "/prediction-task/results": lambda ex: ex.reply(200, image_archive()),
            }
        )

    @contextmanager
    def running(self) -> Iterator[HostileServer]:
        thread = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._http.shutdown()
            self._http.server_close()
            thread.join(5)

    def keyed(self) -> list[Received]:
        """The requests that carried the test's API key in any header."""
        return [r for r in self.received if any(KEY in value for value in r.headers.values())]


def begin_body(upload_url: str) -> dict[str, Any]:
    return {
        "prediction_task_uuid": TASK,
        "prediction_type": "image",
        "signed_urls": [
            {"blob_path": "media/x", "presigned_post_request": {"url": upload_url, "fields": {"key": "media/x"}}}
        ],
    }


def status_body(status: str) -> dict[str, Any]:
    return {"prediction_task_uuid": TASK, "prediction_type": "image", "status": status}


@functools.cache
def image_archive() -> bytes:
    """A valid results archive of one image object."""
    box = BboxObservation(normalized_bbox=(0.125, 0.25, 0.5, 0.75), bbox_score=0.5)
    category = ImageCategoryPrediction(category_id=1, name="house", score=0.75, attributes=[])
    return encode_results([ImageDetectedObject(object_id=1, bbox_observation=box, categories=[category])])


@functools.cache
def gzip_bomb(mib: int = 1024) -> bytes:
    """A valid gzip stream of about 1 MB that inflates to `mib` MiB of zeros.

    Each MiB is compressed after a full flush, so its bytes repeat and the
    stream is built in well under a second.
    """
    zeros = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    head = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(zeros, crc)
    final_empty_block = b"\x03\x00"
    return head + block * (mib - 1) + final_empty_block + struct.pack("<II", crc, (mib << 20) & 0xFFFFFFFF)
