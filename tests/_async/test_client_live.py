"""The client against the local emulator: the whole public surface, live.

tests/_sync/ is generated from this file: every test runs blocking, and async
under asyncio and trio.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from dragoneye import (
    AsyncDragoneye,
    BboxObservation,
    ClassificationPredictImageResponse,
    ClassificationPredictVideoResponse,
    Image,
    PredictionTaskStatusResponse,
    Video,
)
from dragoneye.models import PredictionType
from dragoneye.types.exception import (
    DragoneyeError,
    PredictionTaskBeginError,
    PredictionTaskError,
    PredictionTaskResultsUnavailableError,
    PredictionTimeoutException,
)

MODEL = "recognize_anything/test_model"


def make_client(emulator: Any, **kwargs: Any) -> AsyncDragoneye:
    kwargs.setdefault("api_key", emulator.api_key)
    kwargs.setdefault("backoff_jitter", lambda bound: 0.0)
    return AsyncDragoneye(base_api_url=emulator.base_url, **kwargs)


@pytest.mark.anyio
async def test_predict_image(dragoneye_emulator: Any, image_path: Path) -> None:
    async with make_client(dragoneye_emulator) as client:
        result = await client.classification.predict_image(Image.from_path(image_path), MODEL)
    assert isinstance(result, ClassificationPredictImageResponse)
    assert result.original_file_name == "house.jpg"
    assert result.objects
    for obj in result.objects:
        box = obj.bbox_observation
        assert isinstance(box, BboxObservation)
        assert isinstance(box.normalized_bbox, tuple) and len(box.normalized_bbox) == 4
        assert all(isinstance(v, float) and 0.0 <= v <= 1.0 for v in box.normalized_bbox)
        assert obj.categories and all(isinstance(c.score, float) for c in obj.categories)
        for category in obj.categories:
            for attribute in category.attributes:
                assert isinstance(attribute.score, float)
    assert dragoneye_emulator.stats.upload_requests_with_api_key == 0


@pytest.mark.anyio
async def test_predict_video(dragoneye_emulator: Any, video_path: Path) -> None:
    async with make_client(dragoneye_emulator) as client:
        video = Video.from_path(video_path, name="any-file-name")
        result = await client.classification.predict_video(video, MODEL, frames_per_second=2)
    assert isinstance(result, ClassificationPredictVideoResponse)
    assert result.original_file_name == "any-file-name"
    assert result.frames_per_second == 2
    frames = result.frame_timestamps_microseconds
    assert frames == tuple(sorted(frames)) and len(set(frames)) == len(frames)
    assert all(len(obj.bbox_observations) < len(frames) for obj in result.objects)
    observations = [obs for obj in result.objects for obs in obj.bbox_observations]
    assert any(obs.observation is None for obs in observations), "the emulator's videos have gap frames"
    assert all(obs.timestamp_microseconds in frames for obs in observations)


@pytest.mark.anyio
async def test_same_media_gives_the_same_result(dragoneye_emulator: Any, image_path: Path) -> None:
    async with make_client(dragoneye_emulator) as client:
        first = await client.classification.predict_image(Image.from_path(image_path), MODEL)
        second = await client.classification.predict_image(
            Image.from_bytes(image_path.read_bytes(), "image/jpeg"), MODEL
        )
    assert first.objects == second.objects
    assert first.prediction_task_uuid != second.prediction_task_uuid
    assert second.original_file_name is None


@pytest.mark.anyio
async def test_status_and_results_of_a_finished_task(
    dragoneye_emulator: Any, image_path: Path, video_path: Path
) -> None:
    async with make_client(dragoneye_emulator) as client:
        image_result = await client.classification.predict_image(Image.from_path(image_path), MODEL)
        video_result = await client.classification.predict_video(Video.from_path(video_path), MODEL)
        status = await client.classification.status(image_result.prediction_task_uuid)
        assert status == PredictionTaskStatusResponse(
            prediction_task_uuid=image_result.prediction_task_uuid,
            prediction_type=PredictionType.IMAGE,
            status="predicted",
        )
        assert await client.classification.get_image_results(image_result.prediction_task_uuid) == image_result
        assert await client.classification.get_video_results(video_result.prediction_task_uuid) == video_result


@pytest.mark.anyio
async def test_one_connection_serves_a_whole_prediction(dragoneye_emulator: Any, image_path: Path) -> None:
    async with make_client(dragoneye_emulator) as client:
        dragoneye_emulator.reset_stats()
        await client.classification.predict_image(Image.from_path(image_path), MODEL)
        await client.classification.predict_image(Image.from_path(image_path), MODEL)
    assert dragoneye_emulator.stats.connections_opened == 1


@pytest.mark.anyio
async def test_polling_backs_off(dragoneye_emulator: Any, image_path: Path) -> None:
    async with make_client(dragoneye_emulator, max_poll_interval=1.0) as client:
        dragoneye_emulator.reset_stats()
        await client.classification.predict_image(Image.from_path(image_path), MODEL + "?delay=0.6")
    # Checks at 0.15, 0.225, 0.34, 0.51, 0.76 s after /predict: a 0.6 s task is seen
    # done on the 5th (sooner when each call is slow on a loaded machine), where a
    # fixed 1 s interval would check twice and a fixed 0.05 s twelve times.
    assert 3 <= dragoneye_emulator.stats.calls["getPredictionTaskStatus"] <= 5


@pytest.mark.anyio
async def test_timeout_counts_over_the_whole_prediction(dragoneye_emulator: Any, image_path: Path) -> None:
    async with make_client(dragoneye_emulator, max_poll_interval=0.1) as client:
        started = time.monotonic()
        # 2 s, not less: on a loaded machine begin and upload alone can take half a second.
        with pytest.raises(PredictionTimeoutException, match=r"did not complete within 2 s \(last status"):
            await client.classification.predict_image(
                Image.from_path(image_path), MODEL + "?delay=30", timeout_seconds=2
            )
        elapsed = time.monotonic() - started
    assert 2 <= elapsed < 2 + 2.0


@pytest.mark.anyio
async def test_rate_limits_are_retried_and_begin_is_not_repeated(dragoneye_emulator: Any, image_path: Path) -> None:
    dragoneye_emulator.config.rate_limit_every = 2
    async with make_client(dragoneye_emulator) as client:
        dragoneye_emulator.reset_stats()
        result = await client.classification.predict_image(Image.from_path(image_path), MODEL)
    assert result.objects
    stats = dragoneye_emulator.stats
    assert stats.rate_limited > 0
    assert stats.tasks_begun == 1


@pytest.mark.anyio
async def test_unavailable_and_dropped_gets_are_retried(dragoneye_emulator: Any, image_path: Path) -> None:
    async with make_client(dragoneye_emulator) as client:
        expected = await client.classification.predict_image(Image.from_path(image_path), MODEL)
        dragoneye_emulator.config.error_every = 2
        dragoneye_emulator.config.error_status = 503
        dragoneye_emulator.config.error_methods = {"GET"}
        assert await client.classification.get_image_results(expected.prediction_task_uuid) == expected
        dragoneye_emulator.config.error_every = None
        dragoneye_emulator.config.drop_every = 1
        dragoneye_emulator.reset_stats()
        with pytest.raises(PredictionTaskResultsUnavailableError, match="results failed: RemoteProtocolError"):
            await client.classification.get_image_results(expected.prediction_task_uuid)
        assert dragoneye_emulator.stats.calls["getPredictionTaskResults"] == 1 + client.max_retries


@pytest.mark.anyio
async def test_retries_stop_at_max_retries(dragoneye_emulator: Any, image_path: Path) -> None:
    dragoneye_emulator.config.rate_limit_every = 1
    async with make_client(dragoneye_emulator, max_retries=2) as client:
        dragoneye_emulator.reset_stats()
        with pytest.raises(PredictionTaskBeginError) as caught:
            await client.classification.predict_image(Image.from_path(image_path), MODEL)
    assert caught.value.status_code == 429
    assert "still rate limited" in str(caught.value)
    assert dragoneye_emulator.stats.calls["beginPredictionTask"] == 3


@pytest.mark.anyio
async def test_a_rejected_key_says_so_without_showing_it(dragoneye_emulator: Any, image_path: Path) -> None:
    async with make_client(dragoneye_emulator, api_key="not-a-real-key-123") as client:
        assert "not-a-real-key-123" not in repr(client)
        with pytest.raises(PredictionTaskBeginError) as caught:
            await client.classification.predict_image(Image.from_path(image_path), MODEL)
    error = caught.value
    assert isinstance(error, DragoneyeError)
    assert error.status_code == 401
    assert "API key was rejected" in str(error)
    assert "not-a-real-key-123" not in str(error) + repr(error) + str(error.detail)


@pytest.mark.anyio
async def test_a_failed_task_raises_prediction_task_error(dragoneye_emulator: Any, image_path: Path) -> None:
    async with make_client(dragoneye_emulator) as client:
        with pytest.raises(PredictionTaskError, match="failed with status 'failed"):
            await client.classification.predict_image(Image.from_path(image_path), MODEL + "?fail=1")


@pytest.mark.anyio
async def test_a_bad_model_name_carries_the_server_detail(dragoneye_emulator: Any, image_path: Path) -> None:
    async with make_client(dragoneye_emulator) as client:
        with pytest.raises(PredictionTaskError) as caught:
            await client.classification.predict_image(Image.from_path(image_path), "not-a-model")
    assert caught.value.status_code == 400
    assert caught.value.detail and caught.value.detail in str(caught.value)


@pytest.mark.anyio
async def test_results_of_an_unknown_task(dragoneye_emulator: Any) -> None:
    async with make_client(dragoneye_emulator) as client:
        with pytest.raises(PredictionTaskResultsUnavailableError) as caught:
            await client.classification.get_video_results("no-such-task")
    assert caught.value.status_code == 404


@pytest.mark.anyio
async def test_a_users_own_http_client_is_used_and_left_open(dragoneye_emulator: Any, image_path: Path) -> None:
    seen: list[str] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request.url.path)

    async with httpx.AsyncClient(event_hooks={"request": [record]}) as http:
        async with make_client(dragoneye_emulator, http_client=http) as client:
            await client.classification.predict_image(Image.from_path(image_path), MODEL)
        assert not http.is_closed
    assert seen[:3] == ["/prediction-task/begin", "/_storage/", "/predict"]


@pytest.mark.anyio
async def test_a_large_upload_streams_from_disk(dragoneye_emulator: Any, tmp_path: Path) -> None:
    path = tmp_path / "big.mp4"
    with path.open("wb") as file:
        file.truncate(64 * 1024 * 1024)
    async with make_client(dragoneye_emulator) as client:
        dragoneye_emulator.reset_stats()
        result = await client.classification.predict_video(Video.from_path(path), MODEL)
    assert result.objects
    assert dragoneye_emulator.stats.upload_bytes >= 64 * 1024 * 1024
