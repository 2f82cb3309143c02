"""The transports AsyncDragoneye builds for itself (aiohttp under asyncio, httpcore under trio), on the wire.

Each test runs under asyncio and trio (the `anyio_backend` fixture), against
a raw loopback server that records exactly what arrives.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import httpx
import pytest

from dragoneye._constants import DEFAULT_LIMITS
from dragoneye._transport import DefaultAsyncTransport, default_async_http_client

from .wire import WireServer

pytestmark = pytest.mark.anyio

TIMEOUT = httpx.Timeout(5.0)


def _client(timeout: httpx.Timeout = TIMEOUT) -> httpx.AsyncClient:
    return default_async_http_client(timeout, DEFAULT_LIMITS)


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def test_the_transport_fits_the_event_loop(anyio_backend: str) -> None:
    with WireServer() as server:
        async with _client() as http:
            assert (await http.get(server.url)).text == "ok"
            transport = http._transport
            assert isinstance(transport, DefaultAsyncTransport)
            used = transport._transport()
    expected = "AiohttpTransport" if anyio_backend == "asyncio" else "AsyncHTTPTransport"
    assert type(used).__name__ == expected


async def test_a_streamed_upload_has_an_exact_length_and_a_random_boundary(tmp_path: Path) -> None:
    path = tmp_path / "media.bin"
    path.write_bytes(os.urandom(300_000))
    with WireServer() as server:
        async with _client() as http:
            for _ in range(2):
                with path.open("rb") as file:
                    response = await http.post(server.url, data={"key": "k"}, files={"file": ("m", file, "video/mp4")})
                assert response.status_code == 200
    first, second = server.received
    for received in (first, second):
        assert "transfer-encoding" not in received.headers
        assert int(received.headers["content-length"]) == len(received.body) > 300_000
        assert path.read_bytes() in received.body
    boundaries = {received.headers["content-type"].split("boundary=")[1] for received in (first, second)}
    assert len(boundaries) == 2
    # One connection served every request.
    assert server.connections == 1


async def test_sequential_requests_share_one_connection(tmp_path: Path) -> None:
    with WireServer() as server:
        async with _client() as http:
            for _ in range(3):
                await http.post(server.url, data={"model_name": "m"})
                await http.get(server.url)
    assert len(server.received) == 6
    assert server.connections == 1


async def test_an_answer_lost_after_the_request_is_not_a_connect_error() -> None:
    # The SDK repeats a call that failed to connect, even one unsafe to repeat:
    # a request the server did receive must never look like one.
    with WireServer(behaviour="drop") as server:
        async with _client() as http:
            with pytest.raises(httpx.TransportError) as caught:
                await http.post(server.url, data={"model_name": "m"})
    assert isinstance(caught.value, httpx.RemoteProtocolError | httpx.ReadError)
    assert len(server.received) == 1


async def test_a_refused_connection_is_a_connect_error() -> None:
    with WireServer() as server:
        url = server.url
    async with _client() as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(url)


async def test_a_silent_server_is_a_read_timeout() -> None:
    with WireServer(behaviour="silent") as server:
        async with _client(httpx.Timeout(5.0, read=0.3)) as http:
            with pytest.raises(httpx.ReadTimeout):
                await http.get(server.url)


async def test_a_stalled_upload_is_a_write_timeout(tmp_path: Path) -> None:
    path = tmp_path / "large.bin"
    with path.open("wb") as file:
        file.truncate(64 * 1024 * 1024)
    with WireServer(behaviour="unread") as server:
        async with _client(httpx.Timeout(5.0, write=0.3)) as http:
            with path.open("rb") as file, anyio.fail_after(10):
                with pytest.raises(httpx.WriteTimeout):
                    await http.post(server.url, files={"file": ("m", file, "video/mp4")})
                assert not file.closed


async def test_a_failure_to_read_the_body_is_reported_as_itself() -> None:
    class Broken:
        def __init__(self) -> None:
            self.reads = 0

        def read(self, size: int = -1) -> bytes:
            self.reads += 1
            if self.reads > 2:
                raise OSError("disk gone")
            return b"x" * 65536

    async def body() -> AsyncIterator[bytes]:
        broken = Broken()
        while True:
            yield broken.read()

    with WireServer() as server:
        async with _client() as http:
            with pytest.raises(OSError, match="disk gone"):
                await http.post(server.url, content=body(), headers={"Content-Length": "1000000"})


async def test_cancelling_a_request_releases_its_connection() -> None:
    with WireServer(behaviour="silent") as server:
        async with _client() as http:
            before = _open_fds()
            with anyio.move_on_after(0.3) as scope:
                await http.get(server.url)
            assert scope.cancelled_caught
            # The cancelled request's socket is closed, not kept in the pool (asyncio
            # closes a socket on the loop's next turn, so give it a few).
            with anyio.move_on_after(2):
                while _open_fds() > before:
                    await anyio.sleep(0.01)
            assert _open_fds() <= before


def test_import_dragoneye_leaves_aiohttp_until_a_client_is_built() -> None:
    code = (
        "import sys, dragoneye\n"
        "assert 'aiohttp' not in sys.modules, 'imported with the package'\n"
        "client = dragoneye.AsyncDragoneye(api_key='k')\n"
        "assert 'aiohttp' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])
