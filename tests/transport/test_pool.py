"""The lean connection pool under httpx's transports (trio's and the blocking client's), on the wire.

The async tests run under asyncio and trio; the pool's logic is one function
shared by its async and blocking forms, so the blocking form is tested for
what differs: that Dragoneye builds it and that it polls as little.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import anyio
import httpcore
import httpx
import pytest

from dragoneye import Dragoneye
from dragoneye import _pool as pool_module
from dragoneye._pool import lean_async_transport, lean_sync_transport

from .wire import WireServer

pytestmark = pytest.mark.anyio

LIMITS = httpx.Limits(max_connections=16, max_keepalive_connections=8, keepalive_expiry=30.0)


def _async_client(limits: httpx.Limits = LIMITS) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=lean_async_transport(limits, httpx.create_ssl_context()))


def _pool(client: httpx.AsyncClient | httpx.Client) -> httpcore.AsyncConnectionPool | httpcore.ConnectionPool:
    transport = client._transport
    assert isinstance(transport, httpx.AsyncHTTPTransport | httpx.HTTPTransport)
    pool = transport._pool
    assert isinstance(pool, httpcore.AsyncConnectionPool | httpcore.ConnectionPool)
    return pool


@pytest.fixture
def polls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Each readiness check of an HTTP/1.1 connection (a poll() of its socket when idle), by connection."""
    checked: list[object] = []
    for cls in (httpcore.AsyncHTTP11Connection, httpcore.HTTP11Connection):
        original = cls.has_expired

        def counted(self: object, original: object = original) -> bool:
            checked.append(self)
            return original(self)  # type: ignore[operator, no-any-return]

        monkeypatch.setattr(cls, "has_expired", counted)
    yield checked


@pytest.fixture
def no_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    """No periodic sweep during the test: every poll counted is one the pool made to reuse a connection."""
    monkeypatch.setattr(pool_module, "SWEEP_INTERVAL", 3600.0)
    monkeypatch.setattr(pool_module._LeanAssignment, "_next_sweep", time.monotonic() + 3600.0)


async def _fill(http: httpx.AsyncClient, url: str, connections: int) -> None:
    """Open `connections` connections at once (the server holds each answer until all have arrived)."""
    async with anyio.create_task_group() as group:
        for _ in range(connections):
            group.start_soon(http.get, url)


async def test_a_request_polls_only_the_connection_it_reuses(no_sweep: None, polls: list[object]) -> None:
    with WireServer(gather=8) as server:
        async with _async_client() as http:
            await _fill(http, server.url, 8)
            assert len(_pool(http).connections) == 8
            polls.clear()
            for _ in range(20):
                assert (await http.get(server.url)).text == "ok"
    # httpcore's own pool polls every idle connection on each request and each
    # response closed: 320 polls here (2 x 20 x 8).
    assert len(polls) == 20
    assert server.connections == 8


async def test_a_connection_the_server_closed_is_not_reused() -> None:
    with WireServer(behaviour="close") as server:
        async with _async_client() as http:
            for _ in range(3):
                assert (await http.get(server.url)).text == "ok"
                await anyio.sleep(0.05)  # the server's close arrives
    assert server.connections == 3


async def test_a_connection_past_its_keepalive_is_not_reused() -> None:
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=4, keepalive_expiry=0.2)
    with WireServer() as server:
        async with _async_client(limits) as http:
            await http.get(server.url)
            await http.get(server.url)
            await anyio.sleep(0.3)
            await http.get(server.url)
    assert server.connections == 2


async def test_no_more_idle_connections_are_kept_than_the_limit() -> None:
    limits = httpx.Limits(max_connections=16, max_keepalive_connections=3)
    with WireServer(gather=10) as server:
        async with _async_client(limits) as http:
            await _fill(http, server.url, 10)
            assert len(_pool(http).connections) == 3
            assert all(connection.is_idle() for connection in _pool(http).connections)
            await http.get(server.url)
    assert server.connections == 10


async def test_the_sweep_closes_idle_connections_the_server_closed(no_sweep: None) -> None:
    with WireServer(behaviour="close", gather=4) as closing, WireServer() as other:
        async with _async_client() as http:
            await _fill(http, closing.url, 4)
            await anyio.sleep(0.05)
            assert len(_pool(http).connections) == 4
            _pool(http)._next_sweep = 0.0  # type: ignore[union-attr]  # the sweep is due
            await http.get(other.url)
            (remaining,) = _pool(http).connections
            assert remaining.can_handle_request(httpcore.URL(other.url).origin)


async def test_a_full_pool_makes_room_by_closing_an_idle_connection_to_another_host() -> None:
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=2)
    with WireServer(gather=2) as first, WireServer() as second:
        async with _async_client(limits) as http:
            await _fill(http, first.url, 2)
            for _ in range(3):
                assert (await http.get(second.url)).text == "ok"
            assert len(_pool(http).connections) == 2
    assert (first.connections, second.connections) == (2, 1)


async def test_requests_beyond_the_limit_wait_for_a_connection() -> None:
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=2)
    with WireServer() as server:
        async with _async_client(limits) as http:
            await _fill(http, server.url, 12)
    assert len(server.received) == 12
    assert server.connections <= 2


def test_the_blocking_client_reuses_one_connection_polling_it_once_a_request(
    no_sweep: None, polls: list[object]
) -> None:
    with WireServer() as server, Dragoneye(api_key="k", base_api_url=server.url) as client:
        http = client._sender.http
        assert isinstance(http, httpx.Client)
        assert isinstance(_pool(http), pool_module._LeanConnectionPool)
        for _ in range(5):
            assert http.get(server.url).text == "ok"
    assert server.connections == 1
    assert len(polls) == 4  # the first request opened the connection; each later one checked it


def test_the_blocking_transport_serves_threads_on_separate_connections() -> None:
    transport = lean_sync_transport(LIMITS, httpx.create_ssl_context())
    with WireServer(gather=4) as server, httpx.Client(transport=transport) as http:
        with ThreadPoolExecutor(4) as threads:
            answers = list(threads.map(lambda _: http.get(server.url).text, range(4)))
        assert answers == ["ok"] * 4
        assert len(_pool(http).connections) == 4
    assert server.connections == 4
