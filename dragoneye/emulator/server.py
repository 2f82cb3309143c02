"""Run the emulator with uvicorn on a background thread."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .app import EmulatorService
from .config import EmulatorConfig
from .faults import install_log_filter
from .fixtures import FixtureResult, fixture_key, fixture_result
from .stats import EmulatorStats

_START_TIMEOUT = 10.0
# A graceful stop takes about 2 s (uvicorn's own limit for open requests). On a
# loaded machine a running build can starve the server thread of the GIL for
# longer: after this, the server is forced to exit.
_GRACEFUL_STOP_TIMEOUT = 5.0
_STOP_TIMEOUT = 10.0


def _http_protocol() -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol where httptools is installed (the `emulator` extra
    brings it), else its pure-Python h11 protocol.

    httptools' C parser saves the emulator ~1.5 ms of CPU per prediction, CPU
    that a benchmark's client on the same machine would otherwise lose.
    """
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # pragma: no cover - the emulator extra installs httptools
        return H11Protocol
    return HttpToolsProtocol


def _counting_protocol(stats: EmulatorStats) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol, counting every connection it accepts.

    It also turns Nagle's algorithm off: uvicorn writes a response's head and
    body separately, and with Nagle on, each answer would wait ~40 ms for the
    client's delayed ACK.
    """

    class CountingProtocol(_http_protocol()):  # type: ignore[misc]
        def connection_made(self, transport: asyncio.Transport) -> None:
            stats.add("connections_opened")
            sock = transport.get_extra_info("socket")
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().connection_made(transport)

    return CountingProtocol


class Emulator:
    """A local, stateful Dragoneye API on 127.0.0.1, for tests, demos and benchmarks.

        with Emulator() as emu:
            client = Dragoneye(api_key=emu.api_key, base_url=emu.base_url)

    The server runs on a background thread and stops when the block ends.
    `config` is live: change its knobs between calls.
    """

    def __init__(
        self,
        config: EmulatorConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_level: str = "warning",
    ) -> None:
        self.config = config if config is not None else EmulatorConfig()
        self.host = host
        self._requested_port = port
        self._log_level = log_level
        self._service = EmulatorService(self.config)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._error: BaseException | None = None
        self._port: int | None = None

    # ---- what tests read ----

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`, once started."""
        if self._port is None:
            raise RuntimeError("the emulator is not running")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._port}"

    @property
    def port(self) -> int:
        """The port the emulator listens on, once started."""
        if self._port is None:
            raise RuntimeError("the emulator is not running")
        return self._port

    @property
    def api_key(self) -> str:
        """The first accepted API key."""
        return self.config.api_keys[0]

    @property
    def stats(self) -> EmulatorStats:
        """The live counters."""
        return self._service.stats

    @property
    def service(self) -> EmulatorService:
        """The app's state: tasks, signer, fault counts."""
        return self._service

    def reset_stats(self) -> None:
        """Zero the counters and start the fault counts over."""
        self._service.reset_stats()

    def add_fixture(self, media: bytes | str, result: FixtureResult | Mapping[str, Any]) -> str:
        """Answer `result` for `media` (its bytes, or their SHA-256 in hex) from now on,
        instead of a generated result; returns the SHA-256 it is filed under.

        `result` is a ClassificationPredictImageResponse or ...VideoResponse, or
        its `to_dict()` JSON; it comes back through the results archive as given,
        with the task's own uuid and file name.
        """
        key = fixture_key(media)
        self.config.fixtures[key] = fixture_result(result)
        return key

    def results_archive(self, task_uuid: str, timeout: float = 30.0) -> bytes:
        """The results archive the emulator built for a task (waits for the build)."""
        task = self._service.store.get(task_uuid)
        if task is None or task.archive is None:
            raise KeyError(f"no results for prediction task {task_uuid!r}")
        return task.archive.result(timeout=timeout)

    # ---- lifecycle ----

    def start(self) -> Emulator:
        """Bind, start serving on a background thread, and return once listening."""
        if self._thread is not None:
            raise RuntimeError("the emulator is already running")
        install_log_filter()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self._requested_port))
        except OSError:
            sock.close()
            raise
        self._socket = sock
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._service.app(),
            log_config=None,
            log_level=self._log_level,
            access_log=False,
            http=_counting_protocol(self._service.stats),
            ws="none",
            lifespan="on",
            proxy_headers=False,
            server_header=False,
            timeout_keep_alive=int(max(1, self.config.keep_alive_seconds)),
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._serve, name=f"dragoneye-emulator-{self._port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the emulator did not start: {self._error!r}")
            time.sleep(0.002)
        return self

    def stop(self) -> None:
        """Stop serving, close every connection, and wait for the server thread."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(_GRACEFUL_STOP_TIMEOUT)
            if self._thread.is_alive() and self._server is not None:
                self._server.force_exit = True
                self._thread.join(_STOP_TIMEOUT)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None
        self._port = None

    def _serve(self) -> None:
        assert self._server is not None and self._socket is not None
        try:
            asyncio.run(self._server.serve(sockets=[self._socket]))
        except BaseException as error:  # reported by start()
            self._error = error

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.base_url if self._port is not None else "stopped"
        return f"Emulator({where})"
