"""Malformed answers from the service: results archives, headers and bodies, served by a mock transport.

Each must surface as the SDK's exception for the step, with a message that
names what is wrong; never as a zipfile, pyarrow or httpx exception. What the
decoder makes of each malformed archive is tested once, in tests/results; here,
one bad archive and one bad header show that its errors reach every client's caller.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from dragoneye import Image
from dragoneye.emulator.archive import encode_results
from dragoneye.models import (
    BboxObservation,
    ClassificationPredictVideoResponse,
    TimestampRange,
    VideoBboxObservation,
    VideoCategoryPrediction,
    VideoDetectedObject,
)
from dragoneye.types.exception import PredictionTaskBeginError, PredictionTaskResultsUnavailableError

from ..clients import Clients
from .support import Recorder

pytestmark = pytest.mark.timeout(20)

TASK = "3f0c9f5e-2b7a-4c55-9a57-1d7e0e4b8a10"
MODEL = "recognize_anything/bad_input"
RESULTS_PATH = "/prediction-task/results"
FPS = {"X-Frames-Per-Second": "1"}


def video_objects() -> list[VideoDetectedObject]:
    """One tracked object over two frames."""
    return [
        VideoDetectedObject(
            object_id=1,
            timestamp_ranges=[TimestampRange(timestamp_start_us_inclusive=0, timestamp_end_us_inclusive=1_000_000)],
            bbox_observations=[
                VideoBboxObservation(
                    timestamp_microseconds=0,
                    observation=BboxObservation(normalized_bbox=(0.25, 0.25, 0.5, 0.5), bbox_score=0.75),
                ),
                VideoBboxObservation(timestamp_microseconds=1_000_000, observation=None),
            ],
            categories=[VideoCategoryPrediction(category_id=1, name="Car", score=0.5, attributes=[])],
        )
    ]


def image() -> Image:
    return Image.from_bytes(b"\x89PNG-bytes", mime_type="image/png")


def video_archive() -> bytes:
    return encode_results(video_objects(), [0, 1_000_000])


def results(body: bytes, headers: dict[str, str] | None = None, status: int = 200) -> Recorder:
    """A mock service whose results endpoint answers `body` (and that expects nothing else)."""

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == RESULTS_PATH
        return httpx.Response(status, content=body, headers={"content-type": "application/zip", **(headers or {})})

    return Recorder(answer)


def get_video(client: Any) -> Any:
    return client.classification.get_video_results(TASK)


def get_image(client: Any) -> Any:
    return client.classification.get_image_results(TASK)


def test_a_valid_video_archive_decodes(run: Clients) -> None:
    # The baseline the malformed cases below are cut from.
    result = run(get_video, handler=results(video_archive(), FPS))
    assert isinstance(result, ClassificationPredictVideoResponse)
    assert result.objects == tuple(video_objects())
    assert (result.frames_per_second, result.frame_timestamps_microseconds) == (1, (0, 1_000_000))


@pytest.mark.parametrize(
    "body",
    [b"PK\x03\x04" + b"\x00" * 40, b"<html><body>502 Bad Gateway</body></html>", b""],
    ids=["corrupt-zip", "html", "empty"],
)
def test_a_body_that_is_not_a_zip(run: Clients, body: bytes) -> None:
    with pytest.raises(PredictionTaskResultsUnavailableError, match=r"^results archive is not a valid ZIP: BadZipFile"):
        run(get_image, handler=results(body))


def test_a_video_result_without_frames_per_second(run: Clients) -> None:
    with pytest.raises(
        PredictionTaskResultsUnavailableError, match=r"^X-Frames-Per-Second header is missing on a video result"
    ):
        run(get_video, handler=results(video_archive()))


def test_results_not_available_yet(run: Clients) -> None:
    detail = b'{"detail": "Results are not available yet: the prediction task is predicting"}'
    with pytest.raises(
        PredictionTaskResultsUnavailableError,
        match=r"^results failed: HTTP 400: Results are not available yet: the prediction task is predicting$",
    ) as caught:
        run(get_image, handler=results(detail, {"content-type": "application/json"}, status=400))
    assert caught.value.status_code == 400
    assert caught.value.detail == "Results are not available yet: the prediction task is predicting"


class CutShort(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body whose connection is lost after its first part."""

    def __init__(self, first_part: bytes) -> None:
        self._first_part = first_part

    def __iter__(self) -> Iterator[bytes]:
        yield self._first_part
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._first_part
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")


def test_a_results_transfer_cut_short_is_retried_then_reported(run: Clients) -> None:
    archive = video_archive()

    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"content-length": str(len(archive)), "X-Frames-Per-Second": "1"}
        return httpx.Response(200, headers=headers, stream=CutShort(archive[: len(archive) // 2]))

    service = Recorder(answer)
    with pytest.raises(
        PredictionTaskResultsUnavailableError,
        match=r"^results failed: RemoteProtocolError \(peer closed connection without sending complete message body\)",
    ) as caught:
        run(get_video, handler=service, max_retries=2)
    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)
    assert len(service.requests) == 3  # the first try and two retries


def begin_answering(content: bytes, content_type: str = "application/json") -> Recorder:
    """A mock service whose begin endpoint answers 200 with `content`."""

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/prediction-task/begin"
        return httpx.Response(200, content=content, headers={"content-type": content_type})

    return Recorder(answer)


def test_begin_answering_html(run: Clients) -> None:
    service = begin_answering(b"<html>Sign in to continue</html>", "text/html")
    with pytest.raises(PredictionTaskBeginError, match=r"^begin failed: unexpected response body \(JSONDecodeError"):
        run(lambda client: client.classification.predict_image(image(), MODEL), handler=service)
    assert len(service.requests) == 1


def test_begin_answering_json_of_another_shape(run: Clients) -> None:
    service = begin_answering(b'{"task": "abc"}')
    with pytest.raises(PredictionTaskBeginError, match=r"^begin failed: unexpected response body"):
        run(lambda client: client.classification.predict_image(image(), MODEL), handler=service)


def test_begin_answering_without_an_upload_url(run: Clients) -> None:
    service = begin_answering(
        b'{"prediction_task_uuid": "%s", "prediction_type": "image", "signed_urls": []}' % TASK.encode()
    )
    with pytest.raises(PredictionTaskBeginError, match=r"^begin failed: the response has no upload URL$"):
        run(lambda client: client.classification.predict_image(image(), MODEL), handler=service)
