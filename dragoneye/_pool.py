"""httpx transports whose connection pool does not poll every idle socket on every request.

httpcore's pool, on each request and each response closed, asks every idle
connection whether its socket is readable (a poll() each) and scans every
connection once per queued request (encode/httpcore#1035). With 32 requests
in flight that was about a third of the CPU of a prediction under trio and on
threads. This pool reassigns connections the same way, but polls only the
connection it is about to reuse, and sweeps the other idle ones for expiry at
most once a second. It also keeps at most `max_keepalive_connections` idle
ones, as httpx documents; httpcore counts every connection against that limit.

The pool is httpcore's with `_assign_requests_to_connections` replaced: that
method is the same plain function in its async and blocking pools, so it is
written once, here. httpx's transports (and so their exception mapping) wrap it.
"""

from __future__ import annotations

import ssl
import time
from typing import TYPE_CHECKING, Any

import httpcore
import httpx

SWEEP_INTERVAL = 1.0
"""Seconds between looks at every idle connection for one the server closed or that outlived its keep-alive."""


class _LeanAssignment:
    """`_assign_requests_to_connections` for httpcore's async and blocking pools."""

    _connections: list[Any]
    _requests: list[Any]
    _max_connections: int
    _max_keepalive_connections: int
    _next_sweep = 0.0

    if TYPE_CHECKING:

        def create_connection(self, origin: httpcore.Origin) -> Any: ...

    def _assign_requests_to_connections(self) -> list[Any]:
        closing: list[Any] = []
        now = time.monotonic()
        sweep = now >= self._next_sweep
        if sweep:
            self._next_sweep = now + SWEEP_INTERVAL
        idle = 0
        for connection in list(self._connections):
            if connection.is_closed():
                self._connections.remove(connection)
            elif connection.is_idle():
                if idle >= self._max_keepalive_connections or (sweep and connection.has_expired()):
                    self._connections.remove(connection)
                    closing.append(connection)
                else:
                    idle += 1

        unavailable: list[httpcore.Origin] = []  # Origin is not hashable
        for pool_request in self._requests:
            if not pool_request.is_queued():
                continue
            origin = pool_request.request.url.origin  # built anew on each access: only for queued requests
            if origin in unavailable:
                continue
            connection = self._reusable(origin, closing)
            if connection is None and len(self._connections) >= self._max_connections:
                # Make room by closing an idle connection (to another origin: this one's have none).
                idle_connection = next((each for each in self._connections if each.is_idle()), None)
                if idle_connection is None:
                    unavailable.append(origin)
                    continue
                self._connections.remove(idle_connection)
                closing.append(idle_connection)
            if connection is None:
                connection = self.create_connection(origin)
                self._connections.append(connection)
            pool_request.assign_to_connection(connection)
        return closing

    def _reusable(self, origin: httpcore.Origin, closing: list[Any]) -> Any:
        """The first available connection to `origin` still good; those the server closed are closed here."""
        for connection in list(self._connections):
            if connection.can_handle_request(origin) and connection.is_available():
                if not connection.has_expired():
                    return connection
                self._connections.remove(connection)
                closing.append(connection)
        return None


class _LeanAsyncConnectionPool(_LeanAssignment, httpcore.AsyncConnectionPool):
    pass


class _LeanConnectionPool(_LeanAssignment, httpcore.ConnectionPool):
    pass


def _pool_options(limits: httpx.Limits, ssl_context: ssl.SSLContext) -> dict[str, Any]:
    return {
        "ssl_context": ssl_context,
        "max_connections": limits.max_connections,
        "max_keepalive_connections": limits.max_keepalive_connections,
        "keepalive_expiry": limits.keepalive_expiry,
    }


def lean_async_transport(limits: httpx.Limits, ssl_context: ssl.SSLContext) -> httpx.AsyncHTTPTransport:
    """httpx's async transport (HTTP/1.1, proxies from the environment aside) on the lean pool."""
    transport = httpx.AsyncHTTPTransport(verify=ssl_context, limits=limits)
    transport._pool = _LeanAsyncConnectionPool(**_pool_options(limits, ssl_context))
    return transport


def lean_sync_transport(limits: httpx.Limits, ssl_context: ssl.SSLContext) -> httpx.HTTPTransport:
    """httpx's blocking transport (HTTP/1.1, proxies from the environment aside) on the lean pool."""
    transport = httpx.HTTPTransport(verify=ssl_context, limits=limits)
    transport._pool = _LeanConnectionPool(**_pool_options(limits, ssl_context))
    return transport
