"""An async client belongs to the event loop it first ran on; another loop gets a DragoneyeError saying what to do."""

from __future__ import annotations

import asyncio
from typing import Any

import anyio
import httpx
import pytest

from dragoneye import AsyncDragoneye, PredictionTaskStatusResponse
from dragoneye.types.exception import DragoneyeError

ANOTHER_LOOP = "first used on another event loop: create a client inside each event loop"
BACKENDS = ("asyncio", "trio")


def client_of(fake_api: Any) -> AsyncDragoneye:
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake_api))
    return AsyncDragoneye(api_key="secret-key", base_api_url="http://127.0.0.1:9", http_client=http)


@pytest.mark.parametrize(("first", "then"), [(a, b) for a in BACKENDS for b in BACKENDS])
def test_a_second_event_loop_is_refused(fake_api: Any, first: str, then: str) -> None:
    client = client_of(fake_api)

    async def status() -> PredictionTaskStatusResponse:
        return await client.classification.status("task-1")

    assert anyio.run(status, backend=first).prediction_task_uuid == "task-1"
    with pytest.raises(DragoneyeError, match=ANOTHER_LOOP) as raised:
        anyio.run(status, backend=then)
    assert type(raised.value) is DragoneyeError
    assert len(fake_api.calls("status")) == 1  # the refused call sent nothing


def test_one_event_loop_serves_every_call(fake_api: Any) -> None:
    client = client_of(fake_api)

    async def twice() -> None:
        async with client:
            await client.classification.status("task-1")
            await asyncio.gather(client.classification.status("task-1"), client.classification.status("task-1"))

    asyncio.run(twice())
    assert len(fake_api.calls("status")) == 3


def test_entering_on_another_event_loop_is_refused(fake_api: Any) -> None:
    client = client_of(fake_api)

    async def status() -> None:
        await client.classification.status("task-1")

    async def enter() -> None:
        async with client:
            pass

    anyio.run(status, backend="asyncio")
    with pytest.raises(DragoneyeError, match=ANOTHER_LOOP):
        anyio.run(enter, backend="asyncio")
