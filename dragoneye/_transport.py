"""The default transport of AsyncDragoneye: aiohttp under asyncio, httpcore (on the lean pool) under trio.

The event loop is only known once a request is sent, so the choice is made
then, per request, and each transport is built on first use.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import sniffio

from ._aiohttp_transport import AiohttpTransport


class DefaultAsyncTransport(httpx.AsyncBaseTransport):
    """aiohttp's pool under asyncio (far less CPU per request); under trio, which aiohttp cannot serve,
    httpx's transport on the lean pool (dragoneye/_pool.py)."""

    def __init__(self, limits: httpx.Limits) -> None:
        self._limits = limits
        # Made now, as httpx's own client does: loading the CA bundle is slow.
        self._ssl_context = httpx.create_ssl_context()
        self._asyncio: AiohttpTransport | None = None
        self._other: httpx.AsyncHTTPTransport | None = None

    def _transport(self) -> httpx.AsyncBaseTransport:
        if sniffio.current_async_library() == "asyncio":
            if self._asyncio is None:
                self._asyncio = AiohttpTransport(limits=self._limits, ssl_context=self._ssl_context)
            return self._asyncio
        if self._other is None:
            from ._pool import lean_async_transport  # httpcore: not imported under asyncio

            self._other = lean_async_transport(self._limits, self._ssl_context)
        return self._other

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._transport()
        if transport is self._asyncio or isinstance(request.stream, httpx.ByteStream):
            return await transport.handle_async_request(request)
        body = _ClosingBody(request.stream)
        request.stream = body
        try:
            return await transport.handle_async_request(request)
        finally:
            await body.close_iterations()

    async def aclose(self) -> None:
        asyncio_transport, self._asyncio = self._asyncio, None
        other, self._other = self._other, None
        try:
            if asyncio_transport is not None:
                await asyncio_transport.aclose()
        finally:
            if other is not None:
                await other.aclose()


def default_async_http_client(timeout: httpx.Timeout, limits: httpx.Limits) -> httpx.AsyncClient:
    """The httpx client AsyncDragoneye builds when it is given none."""
    return httpx.AsyncClient(timeout=timeout, limits=limits, transport=DefaultAsyncTransport(limits))


class _ClosingBody(httpx.AsyncByteStream):
    """A streamed request body whose iterations are closed once the request is sent or has failed.

    httpcore stops iterating a body it failed to send without closing httpx's
    body generator, and trio warns (ResourceWarning) when it is collected.
    (aiohttp may still be writing the body when the response arrives: its
    transport closes its own iterations.)
    """

    def __init__(self, stream: httpx.SyncByteStream | httpx.AsyncByteStream) -> None:
        self._stream = stream
        self._iterations: list[AsyncIterator[bytes]] = []

    def __aiter__(self) -> AsyncIterator[bytes]:
        assert isinstance(self._stream, httpx.AsyncByteStream)
        iteration = aiter(self._stream)
        self._iterations.append(iteration)
        return iteration

    async def close_iterations(self) -> None:
        """Close every iteration of the body (a no-op for one that ran to its end)."""
        for iteration in self._iterations:
            close = getattr(iteration, "aclose", None)
            if close is not None:
                await close()
        self._iterations.clear()
