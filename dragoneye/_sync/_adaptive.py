# Generated from dragoneye/_async/ by generator/generate.py (unasync). Do not edit.
"""Adaptive concurrency for a client: slots for predictions, and a pace for its API calls.

`AdaptiveLimit` hooks into the client's httpx client (request and response
hooks) while attached: every answer of the API feeds the AIMD bookkeeping of
dragoneye/_aimd.py, and every API call waits for its turn once the API
has refused calls. Predictions take a slot with `async with limit.slot():`.

The hooks run on every API call, so they do not take the condition (a
checkpoint: a turn of the event loop each time) unless a waiter must be
woken; `Aimd` keeps its own state consistent between threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from .._aimd import Aimd
from .._backends import sync_sleep
from .._concurrency import sync_condition
from .._retry import parse_retry_after
from .._wire import API_KEY_HEADER
from ._client import Dragoneye


class AdaptiveLimit:
    """At most `ceiling` predictions in flight, fewer while the API refuses calls."""

    def __init__(self, ceiling: int) -> None:
        self.aimd = Aimd(ceiling)
        self._slots = sync_condition()

    @property
    def ceiling(self) -> int:
        """The most predictions in flight."""
        return self.aimd.ceiling

    @property
    def concurrency(self) -> int:
        """The predictions allowed in flight now."""
        return int(self.aimd.limit)

    @property
    def throttled(self) -> int:
        """429 and 503 answers seen."""
        return self.aimd.throttled

    def attach(self, client: Dragoneye) -> None:
        """Watch and pace `client`'s calls."""
        hooks = client._sender.http.event_hooks
        hooks["request"].append(self._pace)
        hooks["response"].append(self._observe)

    def detach(self, client: Dragoneye) -> None:
        """Stop watching `client`."""
        hooks = client._sender.http.event_hooks
        for kind, hook in (("request", self._pace), ("response", self._observe)):
            if hook in hooks[kind]:
                hooks[kind].remove(hook)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold a prediction slot for the block."""
        self._acquire()
        try:
            yield
        finally:
            with self._slots:
                self.aimd.release()
                self._slots.notify()

    def _acquire(self) -> None:
        while True:
            pause = self.aimd.pause_remaining()
            if pause > 0:
                sync_sleep(pause)
                continue
            with self._slots:
                if self.aimd.try_acquire():
                    return
                self._slots.wait()

    def _pace(self, request: httpx.Request) -> None:
        """Request hook: an API call waits out a Retry-After, and its turn once the API has refused calls."""
        if API_KEY_HEADER not in request.headers:
            return  # an upload to the storage host: not the API's quota
        while (wait := self.aimd.send_delay()) > 0:
            sync_sleep(wait)

    def _observe(self, response: httpx.Response) -> None:
        """Response hook: every answer of the API adapts the concurrency and the pace."""
        if API_KEY_HEADER not in response.request.headers:
            return
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if self.aimd.on_response(response.status_code, retry_after):
            with self._slots:
                self._slots.notify()
