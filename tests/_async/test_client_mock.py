"""Exact request, retry and error behaviour, against a scripted fake of the API."""

from __future__ import annotations

import io
import math
from typing import Any

import httpx
import pytest

from dragoneye import AsyncDragoneye, Image, PredictionTaskStatusResponse, Video
from dragoneye.models import PredictionType
from dragoneye.types.exception import (
    DragoneyeError,
    MissingAPIKeyError,
    PredictionTaskBeginError,
    PredictionTaskError,
    PredictionTaskResultsUnavailableError,
    PredictionUploadError,
)

MODEL = "recognize_anything/m"
MEDIA = b"\x89PNG fake image bytes " * 100
REQUEST = httpx.Request("GET", "http://127.0.0.1:9/")


def make_client(fake_api: Any, **kwargs: Any) -> AsyncDragoneye:
    kwargs.setdefault("backoff_jitter", lambda bound: bound)
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake_api), timeout=kwargs.pop("timeout", None))
    return AsyncDragoneye(api_key="secret-key", base_api_url="http://127.0.0.1:9", http_client=http, **kwargs)


def image() -> Image:
    return Image.from_bytes(MEDIA, "image/png", name="photo.png")


@pytest.mark.anyio
async def test_requests_on_the_wire(fake_api: Any) -> None:
    async with make_client(fake_api) as client:
        result = await client.classification.predict_image(image(), MODEL)
    assert result.original_file_name == "photo.jpg"
    operations = [fake_api.operation(request) for request in fake_api.requests]
    assert operations == ["begin", "upload", "predict", "status", "status", "results"]
    begin, upload, predict = fake_api.requests[:3]
    assert begin.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert dict(httpx.QueryParams(begin.content.decode())) == {
        "mimetype": "image/png",
        "response_version": "parquet_object",
        "file_name": "photo.png",
    }
    assert dict(httpx.QueryParams(predict.content.decode())) == {"model_name": MODEL, "prediction_task_uuid": "task-1"}
    for request in fake_api.requests:
        assert ("X-API-Key" in request.headers) is (request is not upload)
        assert "Authorization" not in request.headers
    status = fake_api.calls("status")[0]
    assert status.url.params["predictionTaskUuid"] == "task-1"
    results = fake_api.calls("results")[0]
    assert results.url.params["response_version"] == "parquet_object"


@pytest.mark.anyio
async def test_upload_form_has_every_field_then_the_file(fake_api: Any) -> None:
    async with make_client(fake_api) as client:
        await client.classification.predict_image(image(), MODEL)
        await client.classification.predict_image(image(), MODEL)
    first, second = fake_api.calls("upload")
    boundary = first.headers["Content-Type"].split("boundary=")[1]
    assert boundary != second.headers["Content-Type"].split("boundary=")[1]
    parts = first.content.split(b"--" + boundary.encode())
    names = [part.split(b'name="')[1].split(b'"')[0] for part in parts[1:-1]]
    assert names == [b"key", b"policy", b"x-signature", b"file"]
    assert MEDIA in parts[-2]
    assert b'filename="photo.png"' in parts[-2] and b"Content-Type: image/png" in parts[-2]


@pytest.mark.anyio
async def test_video_sends_its_frame_rate(fake_api: Any) -> None:
    fake_api.prediction_type = "video"
    async with make_client(fake_api) as client:
        result = await client.classification.predict_video(Video.from_bytes(b"v", "video/mp4"), MODEL, 3)
    assert dict(httpx.QueryParams(fake_api.calls("begin")[0].content.decode()))["frames_per_second"] == "3"
    assert result.frame_timestamps_microseconds == (0, 1_000_000)


@pytest.mark.anyio
async def test_retry_after_is_honoured(fake_api: Any, sleeps: list[float]) -> None:
    fake_api.script["begin"] = [httpx.Response(429, headers={"Retry-After": "3"}, json={"detail": "slow down"})]
    async with make_client(fake_api) as client:
        await client.classification.predict_image(image(), MODEL)
    assert sleeps == [3.0]
    assert len(fake_api.calls("begin")) == 2


@pytest.mark.anyio
async def test_safe_calls_back_off_exponentially(fake_api: Any, sleeps: list[float]) -> None:
    fake_api.script["status"] = [503, 502, 504, httpx.ReadError("reset", request=REQUEST)]
    async with make_client(fake_api) as client:
        await client.classification.predict_image(image(), MODEL)
    assert sleeps == [0.5, 1.0, 2.0, 4.0]


@pytest.mark.anyio
async def test_max_backoff_time_bounds_the_waiting(fake_api: Any, sleeps: list[float]) -> None:
    fake_api.script["begin"] = [httpx.Response(429, headers={"Retry-After": "50"}, json={"detail": "later"})]
    async with make_client(fake_api, max_backoff_time=10) as client:
        with pytest.raises(PredictionTaskBeginError) as caught:
            await client.classification.predict_image(image(), MODEL)
    assert (caught.value.status_code, caught.value.detail) == (429, "later")
    assert sleeps == []


@pytest.mark.anyio
@pytest.mark.parametrize("failure", [503, 502, httpx.RemoteProtocolError("dropped", request=REQUEST)])
async def test_begin_is_not_repeated_when_it_may_have_run(fake_api: Any, sleeps: list[float], failure: Any) -> None:
    fake_api.script["begin"] = [failure]
    async with make_client(fake_api) as client:
        with pytest.raises(PredictionTaskBeginError, match="begin failed"):
            await client.classification.predict_image(image(), MODEL)
    assert len(fake_api.calls("begin")) == 1


@pytest.mark.anyio
async def test_begin_is_retried_when_the_connection_was_refused(fake_api: Any, sleeps: list[float]) -> None:
    fake_api.script["begin"] = [httpx.ConnectError("refused", request=REQUEST)]
    async with make_client(fake_api) as client:
        await client.classification.predict_image(image(), MODEL)
    assert len(fake_api.calls("begin")) == 2


@pytest.mark.anyio
async def test_predict_is_not_repeated_after_a_dropped_connection(fake_api: Any, sleeps: list[float]) -> None:
    fake_api.script["predict"] = [httpx.ReadError("reset", request=REQUEST)]
    async with make_client(fake_api) as client:
        with pytest.raises(PredictionTaskError, match=r"predict failed: ReadError \(reset\)"):
            await client.classification.predict_image(image(), MODEL)
    assert len(fake_api.calls("predict")) == 1


@pytest.mark.anyio
async def test_a_retried_upload_sends_the_whole_media_again(fake_api: Any, sleeps: list[float]) -> None:
    fake_api.script["upload"] = [503, httpx.WriteError("broken pipe", request=REQUEST)]
    stream = io.BytesIO(b"header" + MEDIA)
    stream.seek(6)
    async with make_client(fake_api) as client:
        await client.classification.predict_image(Image.from_stream(stream, mime_type="image/png"), MODEL)
    uploads = fake_api.calls("upload")
    assert len(uploads) == 3
    assert all(MEDIA in upload.content and b"header" not in upload.content for upload in uploads)


class OneWayStream(io.RawIOBase):
    """A stream that can be read once and cannot seek, like a pipe."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._data.readinto(buffer)


@pytest.mark.anyio
async def test_an_unseekable_upload_has_a_length_and_is_retried_whole(fake_api: Any, sleeps: list[float]) -> None:
    fake_api.script["upload"] = [503]
    async with make_client(fake_api) as client:
        media = Image.from_stream(OneWayStream(MEDIA), mime_type="image/png")  # type: ignore[arg-type]
        await client.classification.predict_image(media, MODEL)
    first, second = fake_api.calls("upload")
    # Storage hosts refuse chunked uploads: the one-way stream went through a spooled
    # copy, which has a length and can be sent again.
    for request in (first, second):
        assert "transfer-encoding" not in request.headers
        assert int(request.headers["content-length"]) == len(request.content)
        assert MEDIA in request.content
    assert first.content.replace(_boundary(first), b"") == second.content.replace(_boundary(second), b"")


def _boundary(request: httpx.Request) -> bytes:
    return request.headers["content-type"].split("boundary=")[1].encode()


@pytest.mark.anyio
async def test_timeouts_are_explicit_and_uploads_may_write_long(fake_api: Any) -> None:
    async with make_client(fake_api, timeout=httpx.Timeout(5.0)) as client:
        await client.classification.predict_image(image(), MODEL)
    timeouts = {fake_api.operation(r): r.extensions["timeout"] for r in fake_api.requests}
    assert timeouts["upload"]["write"] == 600.0
    assert timeouts["begin"]["write"] == 5.0


@pytest.mark.anyio
async def test_unknown_states_mean_running_and_failed_states_fail(fake_api: Any) -> None:
    fake_api.statuses = ["queued", "some_state_added_later", "predicting", "failed_model_error"]
    async with make_client(fake_api) as client:
        with pytest.raises(PredictionTaskError, match="task-1 failed with status 'failed_model_error'"):
            await client.classification.predict_image(image(), MODEL)
    assert len(fake_api.calls("status")) == 4
    assert fake_api.calls("results") == []


@pytest.mark.anyio
async def test_an_unexpected_begin_body_is_a_begin_error(fake_api: Any) -> None:
    fake_api.script["begin"] = [httpx.Response(200, json={"surprise": True})]
    async with make_client(fake_api) as client:
        with pytest.raises(PredictionTaskBeginError, match="unexpected response body"):
            await client.classification.predict_image(image(), MODEL)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("operation", "error"),
    [
        ("begin", PredictionTaskBeginError),
        ("upload", PredictionUploadError),
        ("predict", PredictionTaskError),
        ("status", PredictionTaskError),
        ("results", PredictionTaskResultsUnavailableError),
    ],
)
async def test_an_undocumented_2xx_is_the_steps_error(
    fake_api: Any, operation: str, error: type[DragoneyeError]
) -> None:
    # A 2xx the spec does not document for the operation (202 Accepted for all five).
    fake_api.script[operation] = [httpx.Response(202, json={"detail": "accepted"})]
    async with make_client(fake_api) as client:
        with pytest.raises(error, match=rf"^{operation} failed: HTTP 202 is not a documented response$") as caught:
            await client.classification.predict_image(image(), MODEL)
    assert caught.value.status_code == 202


@pytest.mark.anyio
async def test_status_gives_the_public_type_with_the_spec_enum(fake_api: Any) -> None:
    fake_api.prediction_type = "video"
    async with make_client(fake_api) as client:
        status = await client.classification.status("task-1")
    assert type(status) is PredictionTaskStatusResponse
    as_text: str = status.prediction_type  # a StrEnum: equal to the spec's string too
    assert status.prediction_type is PredictionType.VIDEO and as_text == "video"
    assert status == PredictionTaskStatusResponse(
        prediction_task_uuid="task-1", prediction_type=PredictionType.VIDEO, status="predicting"
    )
    assert hash(status) == hash(PredictionTaskStatusResponse.from_dict(status.to_dict()))


@pytest.mark.anyio
async def test_an_unknown_prediction_type_is_a_status_error(fake_api: Any) -> None:
    body = {"prediction_task_uuid": "task-1", "prediction_type": "audio", "status": "predicted"}
    fake_api.script["status"] = [httpx.Response(200, json=body)]
    async with make_client(fake_api) as client:
        with pytest.raises(PredictionTaskError, match="prediction_type: str 'audio' is not one of 'image', 'video'"):
            await client.classification.status("task-1")


@pytest.mark.anyio
async def test_results_not_ready_carries_the_detail(fake_api: Any) -> None:
    fake_api.script["results"] = [httpx.Response(400, json={"detail": "Prediction task not complete"})]
    async with make_client(fake_api) as client:
        with pytest.raises(PredictionTaskResultsUnavailableError) as caught:
            await client.classification.get_image_results("task-1")
    assert caught.value.status_code == 400
    assert str(caught.value) == "results failed: HTTP 400: Prediction task not complete"


@pytest.mark.anyio
async def test_a_video_result_without_its_frame_rate_is_unavailable(fake_api: Any) -> None:
    fake_api.prediction_type = "video"
    fake_api.results_headers = {}
    async with make_client(fake_api) as client:
        with pytest.raises(PredictionTaskResultsUnavailableError, match="X-Frames-Per-Second"):
            await client.classification.get_video_results("task-1")


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda c: c.predict_image(Video.from_bytes(b"v", "video/mp4"), MODEL), "predict_image needs Image media"),
        (lambda c: c.predict_video(Image.from_bytes(b"i", "image/png"), MODEL), "predict_video needs Video media"),
        (lambda c: c.predict_video(Video.from_bytes(b"v", "video/mp4"), MODEL, 0), "frames_per_second must be"),
        (lambda c: c.predict_video(Video.from_bytes(b"v", "video/mp4"), MODEL, True), "frames_per_second must be"),
        (lambda c: c.predict_image(image(), MODEL, timeout_seconds=0), "timeout_seconds must be a positive"),
        (lambda c: c.predict_image(image(), MODEL, timeout_seconds=-1), "timeout_seconds must be a positive"),
        (lambda c: c.predict_image(image(), MODEL, timeout_seconds=math.nan), "timeout_seconds must be"),
        (lambda c: c.predict_image(image(), ""), "model_name must be a non-empty string"),
        (lambda c: c.predict_image(Image.from_bytes(b"", "image/png"), MODEL), r"the media is empty \(0 bytes\)"),
    ],
)
async def test_bad_arguments_fail_before_any_request(fake_api: Any, call: Any, match: str) -> None:
    async with make_client(fake_api) as client:
        with pytest.raises(ValueError, match=match):
            await call(client.classification)
    assert fake_api.requests == []


def test_the_key_and_base_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DRAGONEYE_API_KEY", raising=False)
    monkeypatch.delenv("DRAGONEYE_BASE_URL", raising=False)
    with pytest.raises(MissingAPIKeyError, match="set the DRAGONEYE_API_KEY environment variable"):
        AsyncDragoneye()
    monkeypatch.setenv("DRAGONEYE_API_KEY", "from-env")
    monkeypatch.setenv("DRAGONEYE_BASE_URL", "http://127.0.0.1:8123/")
    client = AsyncDragoneye(max_retries=3, max_backoff_time=7)
    assert (client.base_api_url, client.max_retries, client.max_backoff_time) == ("http://127.0.0.1:8123", 3, 7)
    assert repr(client) == type(client).__name__ + "(base_api_url='http://127.0.0.1:8123')"
    assert "from-env" not in repr(client.classification) + repr(vars(client))
    with pytest.raises(ValueError, match="base_api_url must start with http"):
        AsyncDragoneye(base_api_url="api.dragoneye.ai")
    with pytest.raises(ValueError, match="max_retries must be a non-negative integer"):
        AsyncDragoneye(max_retries=-1)


@pytest.mark.anyio
async def test_closing_closes_the_pool_it_owns() -> None:
    client = AsyncDragoneye(api_key="k", base_api_url="http://127.0.0.1:9")
    await client.aclose()
    assert client._sender.http.is_closed
