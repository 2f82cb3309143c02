"""What a token rewrite cannot turn from async into blocking code.

unasync maps each `async_*` name used in dragoneye/_async/ to its `sync_*` twin.
anyio is imported by the async helpers when first called: `import dragoneye`
(and a blocking client) need none of it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import httpx

if TYPE_CHECKING:
    from ._deadline import Deadline

P = ParamSpec("P")
T = TypeVar("T")


async def async_sleep(seconds: float) -> None:
    """Sleep under asyncio or trio."""
    import anyio

    await anyio.sleep(seconds)


def sync_sleep(seconds: float) -> None:
    """Sleep, blocking."""
    time.sleep(seconds)


async def async_run_blocking(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run CPU-bound work in a worker thread, off the event loop."""
    import anyio.to_thread

    return await anyio.to_thread.run_sync(lambda: func(*args, **kwargs))


def sync_run_blocking(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run the work here: a blocking client has no loop to keep free."""
    return func(*args, **kwargs)


async def async_run_cancellable(work: Callable[[threading.Event], T]) -> T:
    """Run CPU-bound `work` (decoding results) in a worker thread, off the event loop.

    Cancelling the caller returns at once; the event `work` was given is then
    set, and `work` must stop at its next look at it.
    """
    import anyio.to_thread

    stop = threading.Event()
    try:
        return await anyio.to_thread.run_sync(work, stop, abandon_on_cancel=True)
    except anyio.get_cancelled_exc_class():
        stop.set()
        raise


def sync_run_cancellable(work: Callable[[threading.Event], T]) -> T:
    """Run the work here: a blocking client has no loop to keep free (Ctrl-C interrupts it)."""
    return work(threading.Event())


def async_current_loop() -> object:
    """The running event loop, asyncio's or trio's: the one an async client's connections belong to."""
    import anyio.lowlevel

    return anyio.lowlevel.current_token()


def sync_current_loop() -> object:
    """None: a blocking client belongs to no event loop."""
    return None


def async_http_client(timeout: httpx.Timeout, limits: httpx.Limits) -> httpx.AsyncClient:
    """The pooled client AsyncDragoneye builds for itself (aiohttp is imported here, not with the package)."""
    from ._transport import default_async_http_client

    return default_async_http_client(timeout, limits)


def sync_http_client(timeout: httpx.Timeout, limits: httpx.Limits) -> httpx.Client:
    """The pooled client Dragoneye builds for itself (httpx's transport on the lean pool)."""
    from ._pool import lean_sync_transport

    transport = lean_sync_transport(limits, httpx.create_ssl_context())
    return httpx.Client(timeout=timeout, limits=limits, transport=transport)


@contextmanager
def async_body_deadline(deadline: Deadline | None, request: httpx.Request) -> Iterator[Callable[[], None]]:
    """Bound reading a response body by `deadline`: a cancel scope stops the read
    where it waits, and raises httpx.ReadTimeout. Yields a per-chunk check with
    nothing left to do."""
    if deadline is None:
        yield _no_check
        return
    import anyio

    try:
        with anyio.fail_after(max(deadline.remaining(), 0.0)):
            yield _no_check
    except TimeoutError as exc:
        raise httpx.ReadTimeout("the deadline passed while the body was read", request=request) from exc


@contextmanager
def sync_body_deadline(deadline: Deadline | None, request: httpx.Request) -> Iterator[Callable[[], None]]:
    """Bound reading a response body by `deadline`: a blocking read cannot be
    interrupted, so the yielded check, called after each chunk, raises
    httpx.ReadTimeout once the deadline has passed."""

    def check() -> None:
        if deadline is not None and deadline.remaining() <= 0:
            raise httpx.ReadTimeout("the deadline passed while the body was read", request=request)

    yield check


def _no_check() -> None:
    pass
