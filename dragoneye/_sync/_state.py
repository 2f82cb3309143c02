# Generated from dragoneye/_async/ by generator/generate.py (unasync). Do not edit.
"""Whether a client can still serve a call, checked before the call does anything."""

from __future__ import annotations

from .._backends import sync_current_loop
from ..types.exception import DragoneyeError


class ClientState:
    """Makes misuse of a client fail at once, with advice, rather than deep in httpx."""

    def __init__(self) -> None:
        self.closed = False
        self._loop: object | None = None

    def check(self) -> None:
        """Raise DragoneyeError, saying what to do, if the client cannot serve a call here."""
        if self.closed:
            raise DragoneyeError(
                "this Dragoneye client is closed: make your calls before closing it, or create a new client"
            )
        # An async client's pooled connections belong to the event loop it first
        # ran on, and cannot serve another (a blocking client's loop is None).
        loop = sync_current_loop()
        if self._loop is None:
            self._loop = loop
        elif loop != self._loop:
            raise DragoneyeError(
                "this Dragoneye client was first used on another event loop: create a client inside each "
                "event loop that uses one (in the function you pass to asyncio.run or trio.run, say) and use it "
                "only there"
            )
