"""Bad arguments to the clients: refused before any request, with a message naming the problem.

The client talks to a mock transport that fails the test on any request, so
each case also shows that nothing was sent (no task begun, nothing uploaded).
"""

from __future__ import annotations

import io
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dragoneye import AsyncDragoneye, Dragoneye, Image, MissingAPIKeyError, Video

from ..clients import Clients
from .support import Recorder

pytestmark = pytest.mark.timeout(20)

MODEL = "recognize_anything/bad_input"
CLIENT_CLASSES = [Dragoneye, AsyncDragoneye]


def image() -> Image:
    return Image.from_bytes(b"\x89PNG-bytes", mime_type="image/png")


def video() -> Video:
    return Video.from_bytes(b"\x00\x00\x00\x18ftypmp42", mime_type="video/mp4")


def test_an_empty_file(run: Clients, tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.touch()
    no_requests = Recorder()
    with pytest.raises(ValueError, match=r"the media is empty \(0 bytes\)"):
        run(lambda client: client.classification.predict_image(Image.from_path(path), MODEL), handler=no_requests)
    assert no_requests.requests == []


def test_empty_bytes(run: Clients) -> None:
    media = Video.from_bytes(b"", mime_type="video/mp4")
    with pytest.raises(ValueError, match=r"the media is empty \(0 bytes\)"):
        run(lambda client: client.classification.predict_video(media, MODEL), handler=Recorder())


def test_an_empty_stream(run: Clients) -> None:
    # An in-memory stream has no file descriptor, but its size can still be told by seeking.
    media = Image.from_stream(io.BytesIO(b""), mime_type="image/png")
    no_requests = Recorder()
    with pytest.raises(ValueError, match=r"the media is empty \(0 bytes\)"):
        run(lambda client: client.classification.predict_image(media, MODEL), handler=no_requests)
    assert no_requests.requests == []


def test_a_file_deleted_after_the_media_was_made(run: Clients, tmp_path: Path) -> None:
    path = tmp_path / "gone.png"
    path.write_bytes(b"\x89PNG-bytes")
    media = Image.from_path(path)
    path.unlink()
    with pytest.raises(FileNotFoundError, match=r"gone\.png"):
        run(lambda client: client.classification.predict_image(media, MODEL), handler=Recorder())


def test_a_closed_stream(run: Clients) -> None:
    stream = io.BytesIO(b"\x89PNG-bytes")
    stream.close()
    media = Image.from_stream(stream, mime_type="image/png")
    with pytest.raises(ValueError, match=r"closed"):
        run(lambda client: client.classification.predict_image(media, MODEL), handler=Recorder())


def test_a_text_stream(run: Clients) -> None:
    def predict(client: Any) -> Any:
        media = Image.from_stream(io.StringIO("text"), mime_type="image/png")  # type: ignore[arg-type]
        return client.classification.predict_image(media, MODEL)

    with pytest.raises(TypeError, match=r"StringIO|binary"):
        run(predict, handler=Recorder())


def test_a_video_to_predict_image(run: Clients) -> None:
    with pytest.raises(ValueError, match=r"predict_image needs Image media; got Video"):
        run(lambda client: client.classification.predict_image(video(), MODEL), handler=Recorder())


def test_an_image_to_predict_video(run: Clients) -> None:
    with pytest.raises(ValueError, match=r"predict_video needs Video media; got Image"):
        run(lambda client: client.classification.predict_video(image(), MODEL), handler=Recorder())


def test_bytes_instead_of_media(run: Clients) -> None:
    with pytest.raises(ValueError, match=r"predict_image needs Image media; got bytes"):
        run(lambda client: client.classification.predict_image(b"\x89PNG", MODEL), handler=Recorder())


@pytest.mark.parametrize("model_name", ["", "   ", None])
def test_an_empty_model_name(run: Clients, model_name: Any) -> None:
    with pytest.raises(ValueError, match=r"model_name must be a non-empty string"):
        run(lambda client: client.classification.predict_image(image(), model_name), handler=Recorder())


@pytest.mark.parametrize("timeout_seconds", [0, -1, -0.5, math.nan, math.inf, True, "10"])
def test_a_timeout_that_is_not_a_positive_number(run: Clients, timeout_seconds: Any) -> None:
    with pytest.raises(ValueError, match=r"timeout_seconds must be a positive number or None; got "):
        run(
            lambda client: client.classification.predict_image(image(), MODEL, timeout_seconds=timeout_seconds),
            handler=Recorder(),
        )


@pytest.mark.parametrize("frames_per_second", [0, -1, 1.5, True, "2"])
def test_frames_per_second_that_is_not_a_positive_integer(run: Clients, frames_per_second: Any) -> None:
    with pytest.raises(ValueError, match=rf"frames_per_second must be a positive integer; got {frames_per_second!r}"):
        run(
            lambda client: client.classification.predict_video(video(), MODEL, frames_per_second=frames_per_second),
            handler=Recorder(),
        )


@pytest.mark.parametrize("cls", CLIENT_CLASSES)
@pytest.mark.parametrize("api_key", [None, ""])
def test_a_missing_api_key(cls: type[Any], api_key: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DRAGONEYE_API_KEY", raising=False)
    with pytest.raises(MissingAPIKeyError, match=r"no API key: pass api_key= or set the DRAGONEYE_API_KEY"):
        cls(api_key=api_key, base_api_url="http://127.0.0.1:9")


def test_a_missing_api_key_is_reported_under_python_o(tmp_path: Path) -> None:
    # The official client checks with `assert`, which `python -O` removes.
    env = {key: value for key, value in os.environ.items() if key != "DRAGONEYE_API_KEY"}
    completed = subprocess.run(
        [sys.executable, "-O", "-c", "import dragoneye; dragoneye.Dragoneye()"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert completed.returncode == 1
    assert "MissingAPIKeyError: no API key" in completed.stderr


@pytest.mark.parametrize("cls", CLIENT_CLASSES)
@pytest.mark.parametrize("url", ["api.dragoneye.ai", "ftp://api.dragoneye.ai", "127.0.0.1:8000"])
def test_a_base_url_without_http_scheme(cls: type[Any], url: str) -> None:
    with pytest.raises(ValueError, match=r"base_api_url must start with http:// or https://"):
        cls(api_key="key", base_api_url=url)


@pytest.mark.parametrize("cls", CLIENT_CLASSES)
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_retries": -1}, r"max_retries must be a non-negative integer; got -1"),
        ({"max_retries": 2.5}, r"max_retries must be a non-negative integer; got 2\.5"),
        ({"max_backoff_time": -1}, r"max_backoff_time must not be negative; got -1"),
        ({"max_poll_interval": 0}, r"max_poll_interval must be positive; got 0"),
        ({"max_results_bytes": 0}, r"max_results_bytes must be a positive integer; got 0"),
        ({"max_results_bytes": True}, r"max_results_bytes must be a positive integer; got True"),
        ({"max_result_values": -5}, r"max_result_values must be a positive integer; got -5"),
        ({"max_result_values": 1e6}, r"max_result_values must be a positive integer; got 1000000\.0"),
    ],
)
def test_client_options_out_of_range(cls: type[Any], options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cls(api_key="key", base_api_url="http://127.0.0.1:9", **options)
