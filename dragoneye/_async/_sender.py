"""Sending requests: one pooled httpx client, the API key on API calls only, bodies
read within budget, retries."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping
from contextlib import aclosing
from typing import Any, cast

import httpx

from .._backends import async_body_deadline, async_sleep
from .._body import BodyTooLarge, BoundedBody, UnsupportedEncoding, with_body
from .._constants import ACCEPTED_ENCODINGS, MAX_ERROR_BODY_BYTES, MAX_JSON_BODY_BYTES, UNREACHABLE_RETRY_SECONDS
from .._deadline import Deadline
from .._errors import error_from_response, error_from_transport, error_unreachable
from .._retry import Idempotency, backoff_delay, parse_retry_after, should_retry, unreachable_reason
from .._secret import REDACTED, ApiKey
from .._wire import API_KEY_HEADER
from ..types.exception import DragoneyeError

logger = logging.getLogger("dragoneye")


class AsyncSender:
    """Sends one logical request, retrying it as its idempotency allows.

    Returns the 2xx response, or raises `error` (a DragoneyeError subclass)
    carrying the status and the server's detail.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        api_key: str,
        max_retries: int,
        max_backoff_time: float,
        backoff_jitter: Callable[[float], float],
    ) -> None:
        self.http = http
        self.base_url = base_url
        self.key = ApiKey(api_key)
        self.max_retries = max_retries
        self.max_backoff_time = max_backoff_time
        self.backoff_jitter = backoff_jitter

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    async def send(
        self,
        request: Mapping[str, Any],
        *,
        action: str,
        error: type[DragoneyeError],
        idempotency: Idempotency,
        url: str | None = None,
        timeout: httpx.Timeout | None = None,
        rewind: Callable[[], object] | None = None,
        deadline: Deadline | None = None,
        max_bytes: int = MAX_JSON_BODY_BYTES,
    ) -> httpx.Response:
        """Send `request` (keyword arguments of httpx's `request()`, as the
        generated operations build them).

        Without `url` it is an API call: the path is joined to the base URL and
        the API key is added. With `url` (the presigned upload) neither happens.
        An API call whose connection is refused, or whose host does not
        resolve, is retried for UNREACHABLE_RETRY_SECONDS at most. No redirect
        is followed. `rewind` restores a streamed body before each retry;
        without it a request with a streamed body is not retried. With a
        `deadline`, each try's timeouts are cut to what remains of it, and a try
        or a wait that would end past it raises PredictionTimeoutException
        instead. A 2xx body is read up to `max_bytes` decoded bytes (more raises
        `error`); an error body, up to MAX_ERROR_BODY_BYTES (the rest is ignored).
        """
        kwargs = dict(request)
        kwargs["headers"] = {"Accept-Encoding": ACCEPTED_ENCODINGS, **(kwargs.get("headers") or {})}
        kwargs["url"] = self.base_url + kwargs["url"] if url is None else url
        auth = self.key if url is None else None
        base_timeout = timeout if timeout is not None else self.http.timeout
        retryable_body = rewind is not None or "files" not in kwargs
        started = time.monotonic()
        attempt = 0
        while True:
            budget = self.max_backoff_time
            failure: DragoneyeError
            try:
                request_timeout = deadline.bound(base_timeout) if deadline is not None else base_timeout
                response = await self._exchange(
                    _joining_pieces(self.http.build_request(timeout=request_timeout, **kwargs)),
                    auth,
                    max_bytes,
                    deadline,
                )
            except httpx.TransportError as exc:
                self.key.scrub(exc)
                if deadline is not None and deadline.remaining() <= 0:
                    raise deadline.exceeded(f"timed out during {action}") from exc
                failure, budget = self._transport_failure(exc, error, action, api_call=url is None)
                retry = should_retry(idempotency, error=exc)
                delay = backoff_delay(attempt, self.backoff_jitter)
                reason = type(exc).__name__
            except (BodyTooLarge, UnsupportedEncoding) as exc:
                raise error(f"{action} failed: {exc}") from None
            except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, UnicodeError) as exc:
                self.key.scrub(exc)
                raise error(f"{action} failed: {type(exc).__name__} ({exc})") from exc
            else:
                if response.is_success:
                    return response
                failure = error_from_response(error, action, response, sent_api_key=url is None)
                retry = should_retry(idempotency, status_code=response.status_code)
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                delay = retry_after if retry_after is not None else backoff_delay(attempt, self.backoff_jitter)
                reason = f"HTTP {response.status_code}"
            elapsed = time.monotonic() - started
            if not (retry and retryable_body and attempt < self.max_retries and elapsed + delay <= budget):
                raise failure
            if deadline is not None and not deadline.allows(delay):
                raise deadline.exceeded(f"{action} would be retried after the deadline: {reason}") from failure
            attempt += 1
            logger.info(
                "%s: %s; retry %d of %d in %.2f s",
                *(action, reason, attempt, self.max_retries, delay),
                extra={"dragoneye_retry": (attempt, self.max_retries, reason, delay)},
            )
            await async_sleep(delay)
            if rewind is not None:
                rewind()

    def _transport_failure(
        self, exc: httpx.TransportError, error: type[DragoneyeError], action: str, *, api_call: bool
    ) -> tuple[DragoneyeError, float]:
        """The error for a try that got no response, and how long retrying it may take."""
        unreachable = unreachable_reason(exc) if api_call else None
        if unreachable is None:
            failure = error_from_transport(error, action, exc)
            budget = self.max_backoff_time
        else:
            failure = error_unreachable(error, action, self.base_url, unreachable)
            budget = min(self.max_backoff_time, UNREACHABLE_RETRY_SECONDS)
        failure.__cause__ = exc
        return failure, budget

    async def _exchange(
        self, request: httpx.Request, auth: httpx.Auth | None, max_bytes: int, deadline: Deadline | None
    ) -> httpx.Response:
        """One try: the response, its body read within budget as it streams in."""
        try:
            response = await self.http.send(request, stream=True, auth=auth, follow_redirects=False)
            try:
                limit = max_bytes if response.is_success else MAX_ERROR_BODY_BYTES
                if response.is_stream_consumed:  # read already, by a mock transport or an event hook
                    body = BoundedBody(limit, truncate=not response.is_success)
                    body.feed(response.content)
                else:
                    body = BoundedBody(
                        limit, response.headers.get("Content-Encoding"), truncate=not response.is_success
                    )
                    raw = cast(AsyncGenerator[bytes, None], response.aiter_raw())
                    # Closed however the loop ends: trio warns of an async generator left to the collector.
                    with async_body_deadline(deadline, request) as check_deadline:
                        async with aclosing(raw) as chunks:
                            async for chunk in chunks:
                                body.feed(chunk)
                                if body.full:
                                    break
                                check_deadline()
            finally:
                await response.aclose()
        finally:
            # The auth flow put the key in this request's headers: take it out again.
            if API_KEY_HEADER in request.headers:
                request.headers[API_KEY_HEADER] = REDACTED
        return with_body(response, body.content())


# A streamed body's small pieces are joined up to this many bytes before they are
# sent; larger ones pass as they are, so memory stays flat.
WRITE_AT_ONCE = 64 * 1024


def _joining_pieces(request: httpx.Request) -> httpx.Request:
    """`request`, its streamed body (an upload) sent in pieces of up to WRITE_AT_ONCE bytes.

    httpx yields each multipart boundary, part header and field alone, and
    every transport writes each piece it is given: some twenty sends for a
    small image upload.
    """
    stream = request.stream
    if isinstance(stream, httpx.AsyncByteStream) and not isinstance(stream, httpx.ByteStream):
        request.stream = _JoinedBody(stream)
    return request


class _JoinedBody(httpx.AsyncByteStream):
    """A streamed body whose consecutive small pieces are joined."""

    def __init__(self, stream: httpx.AsyncByteStream) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        pending = bytearray()
        # Closed however the loop ends: trio warns of an async generator left to the collector.
        async with aclosing(cast(AsyncGenerator[bytes, None], self._stream.__aiter__())) as chunks:
            async for chunk in chunks:
                if len(pending) + len(chunk) < WRITE_AT_ONCE:
                    pending += chunk
                    continue
                if pending:
                    yield bytes(pending)
                    pending.clear()
                yield chunk
        if pending:
            yield bytes(pending)
