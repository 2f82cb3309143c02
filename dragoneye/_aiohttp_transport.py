"""An httpx transport that moves the bytes with aiohttp (asyncio only).

httpx stays the interface: requests, responses, per-phase timeouts and the
exceptions the SDK handles are httpx's. aiohttp's connection pool hands out a
connection in constant time, where httpcore's asyncio pool walks (and polls)
every connection on each request, so under many requests in flight this
transport spends a fraction of the CPU. Imported only when a client is built.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from collections.abc import AsyncIterator, Mapping

import aiohttp
import httpx
import yarl

# Bodies up to this size (API answers, small results) are read in one go rather than streamed.
_READ_AT_ONCE = 64 * 1024
# aiohttp's own default request headers: httpx sets these.
_SKIP_AUTO_HEADERS = ("Accept", "Accept-Encoding", "User-Agent", "Content-Type")


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Sends httpx requests through one aiohttp session, made on first use inside the event loop.

    Streamed bodies keep the Content-Length httpx computed (chunked only without one) and
    get httpx's write timeout per chunk; aiohttp's errors become httpx's.
    """

    def __init__(self, *, limits: httpx.Limits, ssl_context: ssl.SSLContext) -> None:
        self._limits = limits
        self._ssl_context = ssl_context
        self._session: aiohttp.ClientSession | None = None

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self._limits.max_connections or 0,
                limit_per_host=0,
                keepalive_timeout=self._limits.keepalive_expiry,
                ssl=self._ssl_context,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),  # httpx keeps the cookies
                auto_decompress=False,  # httpx decodes
                skip_auto_headers=_SKIP_AUTO_HEADERS,
                trust_env=False,  # httpx reads the environment and mounts its own proxy transports
            )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._get_session()
        timeout: Mapping[str, float | None] = request.extensions.get("timeout", {})
        body = _StreamedBody(request.stream, timeout.get("write")) if _is_streamed(request) else None
        # Decoded here, once: httpx's Headers re-derive their encoding on every access.
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in request.headers.raw
            # aiohttp chunks a body of unknown size itself
            if body is None or name.lower() != b"transfer-encoding"
        ]
        try:
            async with asyncio.timeout(None) as write_clock:
                if body is not None:
                    body.clock = write_clock
                response = await session.request(
                    request.method,
                    yarl.URL(str(request.url), encoded=True),  # httpx has already quoted it
                    headers=headers,
                    data=body if body is not None else (request.content or None),
                    allow_redirects=False,
                    timeout=_client_timeout(timeout),
                    server_hostname=request.extensions.get("sni_hostname"),
                )
        except (aiohttp.ClientError, TimeoutError) as exc:
            if body is not None and body.source_error is not None:
                raise body.source_error from None  # reading the media failed, not the network
            if isinstance(exc, TimeoutError) and not isinstance(exc, aiohttp.ClientError):
                raise httpx.WriteTimeout("timed out writing the request body", request=request) from exc
            raise _httpx_error(exc, request) from exc
        finally:
            if body is not None:
                body.clock = None
        stream: httpx.AsyncByteStream = _ResponseStream(response, request)
        length = response.content_length
        if length is not None and length <= _READ_AT_ONCE:
            stream = httpx.ByteStream(await _read(response, request))
        return httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=stream,
            request=request,
            extensions={
                "http_version": b"HTTP/1.1",
                "reason_phrase": (response.reason or "").encode("latin-1", "replace"),
            },
        )

    async def aclose(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()


class _StreamedBody:
    """A streamed request body as aiohttp reads it: each chunk must be written within `write_timeout`.

    aiohttp asks for the next chunk once the last one is written, so
    rescheduling the request's timeout scope per chunk bounds each write. A
    failure to read the source is kept, so it is reported as itself and not
    as the connection error aiohttp wraps it in.
    """

    def __init__(self, stream: httpx.SyncByteStream | httpx.AsyncByteStream, write_timeout: float | None) -> None:
        self._stream = stream
        self._write_timeout = write_timeout
        self.clock: asyncio.Timeout | None = None
        self.source_error: OSError | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        chunks = aiter(self._stream) if isinstance(self._stream, httpx.AsyncByteStream) else _async(self._stream)
        try:
            while True:
                try:
                    chunk = await anext(chunks)
                except StopAsyncIteration:
                    break
                except OSError as exc:
                    self.source_error = exc
                    raise
                self._reschedule(None if self._write_timeout is None else loop.time() + self._write_timeout)
                yield chunk
        finally:
            self._reschedule(None)  # the response's wait is the read timeout's
            close = getattr(chunks, "aclose", None)
            if close is not None:
                await close()

    def _reschedule(self, when: float | None) -> None:
        if self.clock is not None:
            self.clock.reschedule(when)


class _ResponseStream(httpx.AsyncByteStream):
    """An aiohttp response body as httpx reads it."""

    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise _httpx_error(exc, self._request) from exc

    async def aclose(self) -> None:
        # Back to the pool when read to the end; otherwise the connection is closed.
        self._response.release()


async def _read(response: aiohttp.ClientResponse, request: httpx.Request) -> bytes:
    """A small body, read whole: the connection goes back to the pool at once."""
    try:
        return await response.read()
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise _httpx_error(exc, request) from exc
    finally:
        response.release()


async def _async(stream: httpx.SyncByteStream) -> AsyncIterator[bytes]:
    for chunk in stream:
        yield chunk


def _is_streamed(request: httpx.Request) -> bool:
    try:
        request.content  # noqa: B018 (raises RequestNotRead for a streamed body)
    except httpx.RequestNotRead:
        return True
    return False


def _client_timeout(timeout: Mapping[str, float | None]) -> aiohttp.ClientTimeout:
    """httpx's phases in aiohttp's terms; aiohttp's `connect` includes waiting for the pool."""
    return _aiohttp_timeout(timeout.get("pool"), timeout.get("connect"), timeout.get("read"))


@functools.lru_cache(maxsize=64)
def _aiohttp_timeout(pool: float | None, connect: float | None, read: float | None) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(
        total=None,
        connect=None if pool is None or connect is None else pool + connect,
        sock_connect=connect,
        sock_read=read,
    )


def _httpx_error(exc: BaseException, request: httpx.Request) -> httpx.TransportError:
    """The httpx exception for an aiohttp failure.

    Only a connection that never opened may be a ConnectError or
    ConnectTimeout: the SDK retries those even for calls that are unsafe to repeat.
    """
    error: type[httpx.TransportError]
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        error = httpx.ConnectTimeout
    elif isinstance(exc, aiohttp.ClientConnectorError):
        error = httpx.ConnectError
    elif isinstance(exc, TimeoutError):  # SocketTimeoutError: sock_read
        error = httpx.ReadTimeout
    elif isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError | aiohttp.ClientResponseError):
        error = httpx.RemoteProtocolError
    elif isinstance(exc, aiohttp.InvalidURL | aiohttp.NonHttpUrlClientError):
        error = httpx.UnsupportedProtocol
    elif isinstance(exc, aiohttp.ClientConnectionError):
        error = httpx.ReadError
    else:
        error = httpx.TransportError
    return error(str(exc) or type(exc).__name__, request=request)
