"""Fixtures of the bad-input suite: one action run with each kind of client.

`run(action, ...)` builds a fresh client, calls `action(client)` (awaiting it
for the async client) and closes the client. With `handler=` the client talks
to an `httpx.MockTransport` instead of a server, so a test can serve any
malformed answer; otherwise it talks to the emulator.
"""

from __future__ import annotations

import pytest

from dragoneye.emulator import Emulator

from ..clients import Clients


@pytest.fixture
def run(client_kind: str) -> Clients:
    """A runner of each kind, for mock servers (`handler=`) or checks made before any request."""
    return Clients(client_kind)


@pytest.fixture
def live(client_kind: str, dragoneye_emulator_session: Emulator) -> Clients:
    """A runner of each kind against the session's emulator (default knobs)."""
    return Clients(client_kind, dragoneye_emulator_session)
