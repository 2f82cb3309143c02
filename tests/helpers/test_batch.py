"""dragoneye.batch: order kept, failures isolated, concurrency bounded (asyncio, trio, threads)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from dragoneye import (
    AsyncDragoneye,
    ClassificationPredictImageResponse,
    ClassificationPredictVideoResponse,
    Dragoneye,
    Image,
    PredictionTaskError,
    Video,
)
from dragoneye.batch import BatchResult, predict_many, predict_many_blocking
from dragoneye.emulator import Emulator
from dragoneye.samples import SAMPLE_IMAGE, SAMPLE_VIDEO

MODEL = "recognize_anything/batch_test"


def media(count: int) -> list[Image | Video]:
    """Alternating images and videos named m0, m1, ...; names starting `bad` fail in the fakes."""
    items: list[Image | Video] = []
    for index in range(count):
        if index % 2:
            items.append(Video.from_path(SAMPLE_VIDEO, name=f"m{index}.mp4"))
        else:
            items.append(Image.from_path(SAMPLE_IMAGE, name=f"m{index}.jpg"))
    return items


def number(media: Image | Video) -> int:
    """The index in a media's name: m7.jpg -> 7."""
    found = re.search(r"\d+", media.name or "")
    return int(found.group()) if found else 0


def image_response(name: str | None) -> ClassificationPredictImageResponse:
    return ClassificationPredictImageResponse(objects=[], prediction_task_uuid=f"task-{name}", original_file_name=name)


def video_response(name: str | None, fps: int) -> ClassificationPredictVideoResponse:
    return ClassificationPredictVideoResponse(
        objects=[],
        frames_per_second=fps,
        frame_timestamps_microseconds=[0],
        prediction_task_uuid=f"task-{name}",
        original_file_name=name,
    )


class Gauge:
    """Counts predictions in flight and remembers the most at once (thread-safe)."""

    def __init__(self) -> None:
        self.now = 0
        self.most = 0
        self._lock = threading.Lock()

    def enter(self) -> None:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)

    def leave(self) -> None:
        with self._lock:
            self.now -= 1


class FakeAsyncClassification:
    """Sleeps a little per call (later items sooner, to scramble completion order)."""

    def __init__(self, gauge: Gauge) -> None:
        self.gauge = gauge

    async def _work(self, media: Image | Video) -> None:
        self.gauge.enter()
        try:
            await anyio.sleep(0.002 * (20 - number(media)))
            if (media.name or "").startswith("bad"):
                raise PredictionTaskError(f"{media.name} failed")
        finally:
            self.gauge.leave()

    async def predict_image(self, media: Image, model_name: str, timeout_seconds: float | None = None) -> Any:
        await self._work(media)
        return image_response(media.name)

    async def predict_video(
        self, media: Video, model_name: str, frames_per_second: int = 1, timeout_seconds: float | None = None
    ) -> Any:
        await self._work(media)
        return video_response(media.name, frames_per_second)


class FakeAsyncClient:
    def __init__(self) -> None:
        self.gauge = Gauge()
        self.classification = FakeAsyncClassification(self.gauge)


class FakeBlockingClassification:
    def __init__(self, gauge: Gauge) -> None:
        self.gauge = gauge

    def _work(self, media: Image | Video) -> None:
        self.gauge.enter()
        try:
            time.sleep(0.01)
            if (media.name or "").startswith("bad"):
                raise ValueError(f"{media.name} is bad")
        finally:
            self.gauge.leave()

    def predict_image(self, media: Image, model_name: str, timeout_seconds: float | None = None) -> Any:
        self._work(media)
        return image_response(media.name)

    def predict_video(
        self, media: Video, model_name: str, frames_per_second: int = 1, timeout_seconds: float | None = None
    ) -> Any:
        self._work(media)
        return video_response(media.name, frames_per_second)


class FakeBlockingClient:
    def __init__(self) -> None:
        self.gauge = Gauge()
        self.classification = FakeBlockingClassification(self.gauge)


def names(results: list[BatchResult]) -> list[str | None]:
    return [result.media.name for result in results]


# -- async, with a fake client (exact bounds) ---------------------------------


@pytest.mark.anyio
async def test_async_order_failures_and_bound() -> None:
    client = FakeAsyncClient()
    items = media(12)
    items[3] = Video.from_path(SAMPLE_VIDEO, name="bad3.mp4")
    items[8] = Image.from_path(SAMPLE_IMAGE, name="bad8.jpg")
    seen: list[int] = []
    results = await predict_many(
        client,  # type: ignore[arg-type]
        items,
        MODEL,
        concurrency=4,
        frames_per_second=3,
        on_result=lambda index, _result: seen.append(index),
    )
    assert names(results) == [item.name for item in items]
    assert [result.ok for result in results] == [index not in (3, 8) for index in range(12)]
    assert isinstance(results[3].error, PredictionTaskError) and results[3].result is None
    assert isinstance(results[1].result, ClassificationPredictVideoResponse)
    assert results[1].result.frames_per_second == 3
    assert isinstance(results[0].result, ClassificationPredictImageResponse)
    assert client.gauge.most == 4
    assert sorted(seen) == list(range(12)) and seen != sorted(seen)  # reported as they finish


@pytest.mark.anyio
@pytest.mark.parametrize("concurrency", [1, 3, 50])
async def test_async_concurrency_bound(concurrency: int) -> None:
    client = FakeAsyncClient()
    results = await predict_many(client, media(10), MODEL, concurrency=concurrency)  # type: ignore[arg-type]
    assert all(result.ok for result in results)
    assert client.gauge.most == min(concurrency, 10)


@pytest.mark.anyio
async def test_async_empty_and_invalid() -> None:
    client = FakeAsyncClient()
    assert await predict_many(client, [], MODEL) == []  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="concurrency"):
        await predict_many(client, media(1), MODEL, concurrency=0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"media\[1\]"):
        await predict_many(client, [media(1)[0], "photo.jpg"], MODEL)  # type: ignore[arg-type, list-item]


@pytest.mark.anyio
async def test_async_cancellation_cancels_the_batch() -> None:
    client = FakeAsyncClient()
    with anyio.move_on_after(0.005) as scope:
        await predict_many(client, media(40), MODEL, concurrency=2)  # type: ignore[arg-type]
    assert scope.cancelled_caught
    assert client.gauge.now == 0


# -- async, on the emulator ---------------------------------------------------


@pytest.fixture
def emulator(dragoneye_emulator_session: Emulator) -> Iterator[Emulator]:
    dragoneye_emulator_session.reset_stats()
    yield dragoneye_emulator_session


def gauge_client(client: AsyncDragoneye | Dragoneye) -> Gauge:
    """Wrap the real client's predict methods to count predictions in flight."""
    gauge = Gauge()
    classification = client.classification
    for method in ("predict_image", "predict_video"):
        original = getattr(classification, method)
        if isinstance(client, AsyncDragoneye):
            setattr(classification, method, counted_async(original, gauge))
        else:
            setattr(classification, method, counted_blocking(original, gauge))
    return gauge


def counted_async(original: Any, gauge: Gauge) -> Any:
    async def counted(*args: Any, **kwargs: Any) -> Any:
        gauge.enter()
        try:
            return await original(*args, **kwargs)
        finally:
            gauge.leave()

    return counted


def counted_blocking(original: Any, gauge: Gauge) -> Any:
    def counted(*args: Any, **kwargs: Any) -> Any:
        gauge.enter()
        try:
            return original(*args, **kwargs)
        finally:
            gauge.leave()

    return counted


@pytest.mark.anyio
async def test_async_on_the_emulator(emulator: Emulator) -> None:
    async with AsyncDragoneye(api_key=emulator.api_key, base_api_url=emulator.base_url) as client:
        gauge = gauge_client(client)
        items = media(8)
        results = await predict_many(client, items, MODEL + "?delay=0.1", concurrency=3, frames_per_second=2)
    assert all(result.ok for result in results), [result.error for result in results]
    assert [result.result.original_file_name for result in results if result.result] == [i.name for i in items]
    assert gauge.most == 3
    assert emulator.stats.tasks_begun == 8


@pytest.mark.anyio
async def test_async_failures_on_the_emulator_are_kept(emulator: Emulator) -> None:
    async with AsyncDragoneye(api_key=emulator.api_key, base_api_url=emulator.base_url) as client:
        results = await predict_many(client, media(3), MODEL + "?fail=1", timeout_seconds=10)
    assert [type(result.error) for result in results] == [PredictionTaskError] * 3


# -- blocking ------------------------------------------------------------------


def test_blocking_order_failures_and_bound() -> None:
    client = FakeBlockingClient()
    items = media(9)
    items[4] = Image.from_path(SAMPLE_IMAGE, name="bad4.jpg")
    results = predict_many_blocking(client, items, MODEL, concurrency=3)  # type: ignore[arg-type]
    assert names(results) == [item.name for item in items]
    assert [result.ok for result in results] == [index != 4 for index in range(9)]
    assert isinstance(results[4].error, ValueError)
    assert client.gauge.most == 3


def test_blocking_empty_and_invalid() -> None:
    client = FakeBlockingClient()
    assert predict_many_blocking(client, [], MODEL) == []  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="concurrency"):
        predict_many_blocking(client, media(1), MODEL, concurrency=True)  # type: ignore[arg-type]


def test_blocking_on_the_emulator(emulator: Emulator) -> None:
    with Dragoneye(api_key=emulator.api_key, base_api_url=emulator.base_url) as client:
        gauge = gauge_client(client)
        items = media(6)
        results = predict_many_blocking(client, items, MODEL + "?delay=0.1", concurrency=2)
    assert all(result.ok for result in results), [result.error for result in results]
    assert [result.result.original_file_name for result in results if result.result] == [i.name for i in items]
    assert gauge.most == 2


@pytest.mark.anyio
async def test_async_on_result_error_is_raised_as_itself() -> None:
    def broken(index: int, result: BatchResult) -> None:
        raise RuntimeError(f"cannot report {index}")

    with pytest.raises(RuntimeError, match="cannot report"):
        await predict_many(FakeAsyncClient(), media(4), MODEL, concurrency=2, on_result=broken)  # type: ignore[arg-type]


def test_blocking_on_result_is_called_for_each() -> None:
    seen: list[int] = []
    lock = threading.Lock()

    def record(index: int, result: BatchResult) -> None:
        with lock:
            seen.append(index)

    predict_many_blocking(FakeBlockingClient(), media(5), MODEL, concurrency=2, on_result=record)  # type: ignore[arg-type]
    assert sorted(seen) == [0, 1, 2, 3, 4]
