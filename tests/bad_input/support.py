"""Helpers of the bad-input suite: clients of each kind, against the emulator or a mock transport."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import anyio
import httpx

from dragoneye import AsyncDragoneye, Dragoneye
from dragoneye.emulator import Emulator

KINDS = ["blocking", "asyncio", "trio"]
MOCK_URL = "http://api.invalid"
MOCK_KEY = "mock-key"

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that answers with `answer` and keeps every request."""

    def __init__(self, answer: Handler | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self._answer = answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self._answer is None:
            raise AssertionError(f"no request was expected, got {request.method} {request.url}")
        return self._answer(request)


class Clients:
    """Runs one action with a fresh client of one kind: blocking, or async under asyncio or trio.

    The action gets the client and returns the value or, with the async client,
    usually an awaitable of it.
    """

    def __init__(self, kind: str, emulator: Emulator | None = None) -> None:
        self.kind = kind
        self.emulator = emulator

    def __repr__(self) -> str:
        return f"Clients({self.kind})"

    def __call__(self, action: Callable[[Any], Any], *, handler: Handler | None = None, **options: Any) -> Any:
        if handler is not None:
            options.setdefault("api_key", MOCK_KEY)
            options.setdefault("base_api_url", MOCK_URL)
        elif self.emulator is not None:
            options.setdefault("api_key", self.emulator.api_key)
            options.setdefault("base_api_url", self.emulator.base_url)
        options.setdefault("max_retries", 1)
        options.setdefault("backoff_jitter", lambda bound: 0.0)
        transport = httpx.MockTransport(handler) if handler is not None else None
        if self.kind == "blocking":
            http = httpx.Client(transport=transport) if transport is not None else None
            try:
                with Dragoneye(http_client=http, **options) as client:
                    return action(client)
            finally:
                if http is not None:
                    http.close()

        async def main() -> Any:
            http = httpx.AsyncClient(transport=transport) if transport is not None else None
            try:
                async with AsyncDragoneye(http_client=http, **options) as client:
                    result = action(client)
                    return await result if inspect.isawaitable(result) else result
            finally:
                if http is not None:
                    await http.aclose()

        return anyio.run(main, backend=self.kind)
