"""Finished images journalled in groups: the rows equal each media's own, and grouping loses no item."""

from __future__ import annotations

import hashlib
import random
import threading
import time
from pathlib import Path

import anyio
import pytest

from dragoneye import ClassificationPredictImageResponse
from dragoneye._concurrency import async_channel, async_receive_group, sync_channel, sync_receive_group
from dragoneye.batch._ledger import Ledger
from dragoneye.batch._output import Finished, from_ipc, image_group_rows, journal_image_group, result_rows
from dragoneye.emulator.predictions import GenerationParams, generate


def _image(seed: int, objects: int | None = None) -> ClassificationPredictImageResponse:
    params = GenerationParams("image", objects=objects)
    return ClassificationPredictImageResponse(
        objects=generate(hashlib.sha256(str(seed).encode()).digest(), params).image_objects(),
        prediction_task_uuid=f"task-{seed}",
        original_file_name=f"{seed}.png",
    )


GROUP = [
    Finished(media_id=1, name="dir/a.png", uuid="task-1", response=_image(1), error=None),
    Finished(media_id=2, name="dir/b.png", uuid="task-2", response=_image(2, objects=0), error=None),
    Finished(media_id=3, name="dir/c.png", uuid="task-3", response=None, error="PredictionTaskError: failed"),
    Finished(media_id=4, name="dir/d.png", uuid=None, response=None, error="ValueError: the media is empty"),
    Finished(media_id=5, name="dir/e.png", uuid="task-5", response=_image(5, objects=4), error=None),
]


def test_a_groups_rows_are_each_media_s_own_rows() -> None:
    tables = image_group_rows(GROUP)
    expected = [result_rows(item.response, item.name, item.uuid, item.error) for item in GROUP]
    assert [table.num_rows for table in tables] == [table.num_rows for table in expected]
    assert [table.num_rows for table in tables][1:4] == [1, 1, 1] and tables[4].num_rows == 4
    for table, own in zip(tables, expected, strict=True):
        assert table.schema == own.schema
        assert table.to_pylist() == own.to_pylist()


def test_a_group_is_journalled_in_one_transaction(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "job.ledger", model_name="m", frames_per_second=1)
    statements: list[str] = []
    ledger._db.set_trace_callback(statements.append)
    tables = journal_image_group(ledger, GROUP)
    assert [statement.split()[0] for statement in statements] == ["BEGIN", *["INSERT"] * 5, *["UPDATE"] * 5, "COMMIT"]
    journal = dict(ledger.journal())
    assert sorted(journal) == [1, 2, 3, 4, 5]
    for item, table in zip(GROUP, tables, strict=True):
        assert from_ipc(journal[item.media_id]).to_pylist() == table.to_pylist()
    ledger.close()


def _sent(count: int) -> list[float]:
    rng = random.Random(7)
    return [rng.choice((0.0, 0.0, 0.001, 0.004, 0.02)) for _ in range(count)]


@pytest.mark.anyio
async def test_async_groups_hold_every_item_once_in_order() -> None:
    send, receive = async_channel(8)
    delays = _sent(200)

    async def producer() -> None:
        async with send:
            for number, delay in enumerate(delays):
                await anyio.sleep(delay)
                await send.send(number)

    groups: list[list[int]] = []
    async with anyio.create_task_group() as group:
        group.start_soon(producer)
        async with receive:
            while batch := await async_receive_group(receive, 16, 0.01):
                groups.append(batch)
    assert [number for batch in groups for number in batch] == list(range(200))
    assert max(len(batch) for batch in groups) <= 16
    assert len(groups) < 150  # items sent close together share a group


def test_blocking_groups_hold_every_item_once_in_order() -> None:
    channel, _ = sync_channel(8)
    delays = _sent(200)

    def producer() -> None:
        with channel:
            for number, delay in enumerate(delays):
                time.sleep(delay)
                channel.send(number)

    thread = threading.Thread(target=producer)
    thread.start()
    groups: list[list[int]] = []
    while batch := sync_receive_group(channel, 16, 0.01):
        groups.append(batch)
    thread.join()
    assert [number for batch in groups for number in batch] == list(range(200))
    assert max(len(batch) for batch in groups) <= 16
    assert len(groups) < 150
