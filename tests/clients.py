"""One runner of the SDK's clients, for the fault and bad-input suites.

`Clients(kind, ...)` opens a fresh client of one of `KINDS` (blocking, or async
under asyncio, with either transport, or trio) against the emulator, or against an `httpx.MockTransport`
when given a `handler=`. How a test's client is built is decided here only: a
new dimension (another HTTP transport, say) is a field of `Clients` and a
parameter of the `client_kind` fixture in tests/conftest.py.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import anyio
import attrs
import httpx

from dragoneye import AsyncDragoneye, Dragoneye
from dragoneye._constants import DEFAULT_LIMITS, DEFAULT_TIMEOUT
from dragoneye.emulator import Emulator

# Every client and transport we ship: the blocking client (httpcore); the async
# one with the transport it builds, under asyncio (aiohttp) and trio (httpcore);
# and under asyncio with a user's own httpx.AsyncClient (httpcore).
KINDS = ("blocking", "asyncio", "asyncio-httpcore", "trio")
MOCK_URL = "http://api.invalid"
MOCK_KEY = "mock-key"

Handler = Callable[[httpx.Request], httpx.Response]


def no_jitter(bound: float) -> float:
    """Backoff without randomness: retries wait exactly what the client computes."""
    return 0.0


@attrs.frozen
class Clients:
    """Runs one action with a fresh client of `kind`, then closes the client."""

    kind: str = attrs.field(validator=attrs.validators.in_(KINDS))
    emulator: Emulator | None = None
    """The server of calls without a `handler=`."""
    max_retries: int = 1

    def options(self, handler: Handler | None = None, **options: Any) -> dict[str, Any]:
        """The client's keyword arguments: the target's URL and key, then `options`."""
        if handler is not None:
            target = {"api_key": MOCK_KEY, "base_api_url": MOCK_URL}
        elif self.emulator is not None:
            target = {"api_key": self.emulator.api_key, "base_api_url": self.emulator.base_url}
        else:
            target = {}
        return {**target, "max_retries": self.max_retries, "backoff_jitter": no_jitter, **options}

    @contextlib.contextmanager
    def blocking(self, handler: Handler | None = None, **options: Any) -> Iterator[Dragoneye]:
        """A blocking client, closed (with its HTTP client) on exit."""
        http = httpx.Client(transport=httpx.MockTransport(handler)) if handler is not None else None
        try:
            with Dragoneye(http_client=http, **self.options(handler, **options)) as client:
                yield client
        finally:
            if http is not None:
                http.close()

    @contextlib.asynccontextmanager
    async def open_async(self, handler: Handler | None = None, **options: Any) -> AsyncIterator[AsyncDragoneye]:
        """An async client, closed (with its HTTP client) on exit."""
        if handler is not None:
            http: httpx.AsyncClient | None = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        elif self.kind.endswith("-httpcore"):
            http = httpx.AsyncClient(timeout=options.get("timeout", DEFAULT_TIMEOUT), limits=DEFAULT_LIMITS)
        else:
            http = None
        try:
            async with AsyncDragoneye(http_client=http, **self.options(handler, **options)) as client:
                yield client
        finally:
            if http is not None:
                await http.aclose()

    def __call__(self, action: Callable[[Any], Any], *, handler: Handler | None = None, **options: Any) -> Any:
        """`action(client)`'s value; with an async client, awaited under this kind's event loop."""
        if self.kind == "blocking":
            with self.blocking(handler, **options) as client:
                return action(client)

        async def main() -> Any:
            async with self.open_async(handler, **options) as client:
                result = action(client)
                return await result if inspect.isawaitable(result) else result

        return anyio.run(main, backend=self.kind.partition("-")[0])
