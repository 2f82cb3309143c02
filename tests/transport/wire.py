"""A raw HTTP/1.1 server on loopback that records what arrives on the wire and answers as told."""

from __future__ import annotations

import socket
import socketserver
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import BinaryIO, Self

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


@dataclass
class Received:
    """One request as it arrived: its head (lower-cased names) and the body bytes read."""

    request_line: str
    headers: dict[str, str]
    body: bytes


@dataclass
class WireServer:
    """Answers each request by `behaviour`: "ok", "close" (answer, then close the connection),
    "drop" (close after the request), "silent" (never answer) or "unread" (read only the head,
    never the body, never answer). The first `gather` requests are answered only once all
    of them have arrived, so a client has that many connections open at once."""

    behaviour: str = "ok"
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    gather: int = 0

    def __enter__(self) -> Self:
        outer = self
        self._stop = threading.Event()
        self._gathered = threading.Barrier(self.gather) if self.gather else None

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer.connections += 1
                outer.serve(self.request)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def serve(self, conn: socket.socket) -> None:
        with conn.makefile("rb") as reader:
            while True:
                head = _read_head(reader)
                if head is None:
                    return
                request_line, headers = head
                if self.behaviour == "unread":
                    self.received.append(Received(request_line, headers, b""))
                    self._stop.wait(30)  # the body stays unread: the client's writes stall
                    return
                body = reader.read(int(headers.get("content-length", "0")))
                self.received.append(Received(request_line, headers, body))
                if self.behaviour == "drop":
                    return
                if self.behaviour == "silent":
                    _wait_closed(conn)
                    return
                if self._gathered is not None and len(self.received) <= self.gather:
                    self._gathered.wait(timeout=10)
                conn.sendall(OK)
                if self.behaviour == "close":
                    return


def _read_head(reader: BinaryIO) -> tuple[str, dict[str, str]] | None:
    request_line = reader.readline().decode("latin-1").strip()
    if not request_line:
        return None
    headers: dict[str, str] = {}
    while (line := reader.readline().decode("latin-1").strip()) != "":
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return request_line, headers


def _wait_closed(conn: socket.socket) -> None:
    """Block until the client closes its end (or 30 s pass)."""
    conn.settimeout(30)
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass
