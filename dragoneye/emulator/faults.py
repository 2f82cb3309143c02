"""Injected faults: rate limits, server errors, dropped connections and slow answers.

`FaultMiddleware` wraps the app. It counts every API and upload call in the
stats, decides on arrival (deterministically, under a lock) whether this call
is the Kth that answers 429, a 5xx, or loses its connection halfway through
the response, and delays it when asked.
"""

from __future__ import annotations

import asyncio
import enum
import json
import logging
import threading

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._wire import API_KEY_HEADER
from .config import EmulatorConfig
from .ratelimit import RateLimiter
from .stats import EmulatorStats
from .validation import operation_id

_API_KEY_HEADER = API_KEY_HEADER.lower().encode("latin-1")
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


class Fault(enum.Enum):
    """What happens to one call."""

    RATE_LIMIT = "rate_limit"
    ERROR = "error"
    DROP = "drop"


class DroppedConnection(Exception):
    """Raised after a partial response, so the server closes the connection mid-body."""


class FaultInjector:
    """Counts calls per fault knob and says which call gets which fault.

    A knob's count starts over whenever its value changes, so setting
    `rate_limit_every=3` makes the 3rd, 6th... calls from then on answer 429.
    """

    def __init__(self, config: EmulatorConfig) -> None:
        self._config = config
        self._lock = threading.Lock()
        self._counts: dict[Fault, tuple[object, int]] = {}
        self.rate_limiter = RateLimiter(lambda: (config.rate_limit_per_second, config.rate_limit_burst))

    def reset(self) -> None:
        """Start every count over."""
        with self._lock:
            self._counts.clear()
        self.rate_limiter.reset()

    def decide(self, method: str) -> Fault | None:
        """Count one call and return the fault it gets, if any (429 first, then 5xx, then drops)."""
        config = self._config
        method = method.upper()
        with self._lock:
            rate_limited = self._tick(Fault.RATE_LIMIT, config.rate_limit_every, None, method)
            errored = self._tick(Fault.ERROR, config.error_every, config.error_methods, method)
            dropped = self._tick(Fault.DROP, config.drop_every, config.drop_methods, method)
        if rate_limited:
            return Fault.RATE_LIMIT
        if errored:
            return Fault.ERROR
        if dropped:
            return Fault.DROP
        return None

    def _tick(self, fault: Fault, every: int | None, methods: frozenset[str] | None, method: str) -> bool:
        """Count this call for `fault` if it applies; True when it is the Kth."""
        setting = (every, methods)
        previous, count = self._counts.get(fault, (setting, 0))
        if previous != setting:
            count = 0
        applies = every is not None and (methods is None or method in methods)
        if applies:
            count += 1
        self._counts[fault] = (setting, count)
        return applies and every is not None and count % every == 0


class FaultMiddleware:
    """ASGI middleware: stats of every API/upload call, then slow answers and injected faults."""

    def __init__(self, app: ASGIApp, config: EmulatorConfig, stats: EmulatorStats, faults: FaultInjector) -> None:
        self.app = app
        self.config = config
        self.stats = stats
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        operation = operation_id(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if operation is None:
            await self.app(scope, receive, send)
            return
        self.stats.add_call(operation)
        if operation == "uploadMedia" and any(name.lower() == _API_KEY_HEADER for name, _ in scope["headers"]):
            self.stats.add("upload_requests_with_api_key")
        # Decide at arrival, so the Kth call to arrive is the Kth counted, however slow.
        fault = self.faults.decide(scope["method"])
        # The token bucket limits the API host only, as a real API's quota would.
        wait = self.faults.rate_limiter.take() if operation != "uploadMedia" else None
        retry_after = self.config.retry_after if wait is None else wait
        if wait is not None:
            fault = Fault.RATE_LIMIT
        delay = self.config.slow_response_seconds
        if delay > 0:
            self.stats.add("slowed")
            await asyncio.sleep(delay)
        if fault is Fault.RATE_LIMIT:
            self.stats.add("rate_limited")
            await _drain(receive)
            await _send_json(
                send,
                429,
                {"detail": "Rate limit exceeded: too many requests, retry later"},
                [(b"retry-after", _seconds(retry_after))],
            )
        elif fault is Fault.ERROR:
            self.stats.add("errors_sent")
            status = self.config.error_status
            await _drain(receive)
            extra = [(b"retry-after", _seconds(self.config.retry_after))] if status == 503 else []
            await _send_json(send, status, {"detail": f"Emulated {status} {_REASONS[status]}"}, extra)
        elif fault is Fault.DROP:
            self.stats.add("drops")
            await self._drop(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _drop(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle the call, send the headers and half the body, then lose the connection."""
        start: Message | None = None
        body = bytearray()

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        await self.app(scope, receive, capture)
        if start is None:  # pragma: no cover - every route answers
            raise DroppedConnection("no response to drop")
        declared = max(len(body), 2)
        status = 200 if start["status"] in (204, 304) else start["status"]
        headers = [(name, value) for name, value in start.get("headers", []) if name.lower() != b"content-length"]
        headers.append((b"content-length", str(declared).encode("ascii")))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": bytes(body[: declared // 2]), "more_body": True})
        raise DroppedConnection("emulated connection drop")


class QuietDrops(logging.Filter):
    """Keeps the server's log free of the tracebacks of deliberately dropped connections."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


def install_log_filter() -> None:
    """Add `QuietDrops` to uvicorn's error logger, once."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(existing, QuietDrops) for existing in logger.filters):
        logger.addFilter(QuietDrops())


async def _drain(receive: Receive) -> None:
    """Read and discard the request body, so the client can finish sending and read the answer."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


async def _send_json(send: Send, status: int, payload: object, extra_headers: list[tuple[bytes, bytes]]) -> None:
    body = json.dumps(payload).encode("utf-8")
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode("ascii"))]
    await send({"type": "http.response.start", "status": status, "headers": headers + extra_headers})
    await send({"type": "http.response.body", "body": body})


def _seconds(value: float) -> bytes:
    text = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return text.encode("ascii")
