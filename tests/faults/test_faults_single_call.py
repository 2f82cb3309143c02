"""One fault at a known call: what is retried, what is not, and what the caller sees.

A single prediction makes its calls in a fixed order (begin, upload, predict,
status..., results), so a fault can be aimed at one of them. Every test runs
with the blocking client and the async one under asyncio and trio.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from dragoneye import Image, ImageDetectedObject
from dragoneye.emulator import Emulator
from dragoneye.types.exception import (
    DragoneyeError,
    PredictionTaskBeginError,
    PredictionTaskError,
)

from ..clients import Clients
from .support import MODEL, drop_calls, image, png

pytestmark = [pytest.mark.live, pytest.mark.timeout(30)]

BEGIN, UPLOAD, PREDICT = 1, 2, 3
LOST_CONNECTION = r"(RemoteProtocolError|ReadError)"


class OneWayStream:
    """A readable stream that cannot seek, so an upload from it cannot be replayed."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def read(self, size: int = -1) -> bytes:
        size = len(self._data) if size < 0 else size
        chunk, self._data = self._data[:size], self._data[size:]
        return chunk

    def seekable(self) -> bool:
        return False


def test_a_lost_answer_to_begin_is_not_repeated(
    run: Clients, dragoneye_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop_calls(dragoneye_emulator, monkeypatch, {BEGIN})
    with pytest.raises(PredictionTaskBeginError, match=rf"^begin failed: {LOST_CONNECTION}") as caught:
        run(lambda client: client.classification.predict_image(image(0), MODEL))
    assert isinstance(caught.value.__cause__, httpx.TransportError)
    stats = dragoneye_emulator.stats
    # The server did begin the task; a retry would have begun a second one.
    assert (stats.begin_calls, stats.tasks_begun, stats.drops) == (1, 1, 1)


def test_a_lost_answer_to_predict_is_not_repeated(
    run: Clients, dragoneye_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop_calls(dragoneye_emulator, monkeypatch, {PREDICT})
    with pytest.raises(PredictionTaskError, match=rf"^predict failed: {LOST_CONNECTION}"):
        run(lambda client: client.classification.predict_image(image(0), MODEL))
    stats = dragoneye_emulator.stats
    assert (stats.calls["predict"], stats.predictions_started, stats.tasks_begun) == (1, 1, 1)


def test_a_lost_answer_to_an_upload_from_a_file_is_retried_from_the_start(
    run: Clients,
    dragoneye_emulator: Emulator,
    fault_free: list[tuple[ImageDetectedObject, ...]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    path = tmp_path / "image-0.png"
    path.write_bytes(png(0))
    drop_calls(dragoneye_emulator, monkeypatch, {UPLOAD})
    result = run(lambda client: client.classification.predict_image(Image.from_path(path), MODEL))
    assert result.objects == fault_free[0]
    stats = dragoneye_emulator.stats
    assert (stats.calls["uploadMedia"], stats.uploads_completed, stats.tasks_begun) == (2, 2, 1)
    # Both uploads carried the whole file: the retry rewound it.
    assert stats.upload_bytes == 2 * len(png(0))


def test_a_lost_answer_to_an_upload_from_a_one_way_stream_is_retried_from_its_spooled_copy(
    run: Clients,
    dragoneye_emulator: Emulator,
    fault_free: list[tuple[ImageDetectedObject, ...]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drop_calls(dragoneye_emulator, monkeypatch, {UPLOAD})
    media = Image.from_stream(OneWayStream(png(0)), mime_type="image/png")  # type: ignore[arg-type]
    result = run(lambda client: client.classification.predict_image(media, MODEL))
    assert result.objects == fault_free[0]
    stats = dragoneye_emulator.stats
    # The storage host (which refuses chunked uploads) took both whole: the stream was
    # copied once to a spool with a length, and the retry sent the copy again.
    assert (stats.calls["uploadMedia"], stats.uploads_completed, stats.tasks_begun) == (2, 2, 1)
    assert stats.upload_bytes == 2 * len(png(0))


def test_a_503_on_begin_is_not_repeated(run: Clients, dragoneye_emulator: Emulator) -> None:
    dragoneye_emulator.config.update({"error_every": 1, "error_status": 503, "error_methods": ["POST"]})
    with pytest.raises(PredictionTaskBeginError, match=r"^begin failed: HTTP 503: Emulated 503") as caught:
        run(lambda client: client.classification.predict_image(image(0), MODEL))
    assert caught.value.status_code == 503
    assert (dragoneye_emulator.stats.begin_calls, dragoneye_emulator.stats.tasks_begun) == (1, 0)


def test_429_is_retried_up_to_max_retries(run: Clients, dragoneye_emulator: Emulator) -> None:
    dragoneye_emulator.config.update({"rate_limit_every": 1, "retry_after": 0})
    with pytest.raises(PredictionTaskBeginError, match=r"still rate limited \(HTTP 429\)") as caught:
        run(lambda client: client.classification.predict_image(image(0), MODEL), max_retries=3)
    assert caught.value.status_code == 429
    assert (dragoneye_emulator.stats.begin_calls, dragoneye_emulator.stats.tasks_begun) == (4, 0)


def test_a_status_that_keeps_failing_gives_up_after_max_retries(run: Clients, dragoneye_emulator: Emulator) -> None:
    dragoneye_emulator.config.update({"error_every": 1, "error_status": 502, "error_methods": ["GET"]})
    with pytest.raises(PredictionTaskError, match=r"^status failed: HTTP 502") as caught:
        run(lambda client: client.classification.predict_image(image(0), MODEL), max_retries=2)
    assert caught.value.status_code == 502
    stats = dragoneye_emulator.stats
    assert (stats.calls["getPredictionTaskStatus"], stats.tasks_begun, stats.predictions_started) == (3, 1, 1)


def test_a_server_slower_than_the_read_timeout_raises_the_sdk_error(run: Clients, dragoneye_emulator: Emulator) -> None:
    dragoneye_emulator.config.slow_response_seconds = 1.0
    with pytest.raises(PredictionTaskBeginError, match=r"^begin failed: ReadTimeout") as caught:
        run(
            lambda client: client.classification.predict_image(image(0), MODEL),
            timeout=httpx.Timeout(0.2),
        )
    assert isinstance(caught.value, DragoneyeError)
    assert dragoneye_emulator.stats.begin_calls == 1
