"""Input the emulator refuses: the SDK's exception for the failing step, with the server's reason."""

from __future__ import annotations

import struct
import zlib

import pytest

from dragoneye import Image, Video
from dragoneye.emulator import Emulator
from dragoneye.types.exception import (
    PredictionTaskBeginError,
    PredictionTaskError,
    PredictionTaskResultsUnavailableError,
    PredictionTimeoutException,
    PredictionUploadError,
)

from ..clients import KINDS, Clients

pytestmark = [pytest.mark.live, pytest.mark.timeout(30)]

MODEL = "recognize_anything/bad_input"
UNKNOWN_TASK = "00000000-0000-4000-8000-000000000000"
SECRET_KEY = "sk-live-0123456789abcdef-not-accepted"


def png() -> bytes:
    """A 1x1 valid PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80\x80\x80"))
        + chunk(b"IEND", b"")
    )


def image(name: str | None = None, mime_type: str = "image/png") -> Image:
    return Image.from_bytes(png(), mime_type=mime_type, name=name)


def test_a_model_name_without_the_recognize_anything_prefix(live: Clients) -> None:
    with pytest.raises(PredictionTaskError, match=r"^predict failed: HTTP 400: model_name must look like") as caught:
        live(lambda client: client.classification.predict_image(image(), "resnet50"))
    assert caught.value.status_code == 400
    assert caught.value.detail is not None and "'resnet50'" in caught.value.detail


def test_a_model_name_with_an_unknown_option(live: Clients) -> None:
    with pytest.raises(PredictionTaskError, match=r"HTTP 400: unknown model option 'bogus'"):
        live(lambda client: client.classification.predict_image(image(), f"{MODEL}?bogus=1"))


def test_a_rejected_api_key(live: Clients) -> None:
    with pytest.raises(
        PredictionTaskBeginError, match=r"^begin failed: the API key was rejected \(HTTP 401\)"
    ) as caught:
        live(lambda client: client.classification.predict_image(image(), MODEL), api_key=SECRET_KEY)
    error = caught.value
    assert error.status_code == 401
    for text in (str(error), repr(error), error.detail or "", *map(str, error.args)):
        assert SECRET_KEY not in text


def test_the_key_is_not_in_the_client_repr(live: Clients) -> None:
    assert SECRET_KEY not in live(repr, api_key=SECRET_KEY)


def test_a_mime_type_the_service_refuses(live: Clients) -> None:
    with pytest.raises(
        PredictionTaskBeginError, match=r"^begin failed: HTTP 400: Unsupported mimetype 'image/'"
    ) as caught:
        live(lambda client: client.classification.predict_image(image(mime_type="image/"), MODEL))
    assert caught.value.status_code == 400
    assert caught.value.detail == "Unsupported mimetype 'image/': expected an image/* or video/* type"


def test_a_file_name_the_service_refuses(live: Clients) -> None:
    with pytest.raises(PredictionTaskBeginError, match=r"HTTP 400: file_name must not contain control characters"):
        live(lambda client: client.classification.predict_image(image(name="two\nlines.png"), MODEL))


def test_results_of_an_unknown_task(live: Clients) -> None:
    with pytest.raises(
        PredictionTaskResultsUnavailableError, match=r"^results failed: HTTP 404: No prediction task"
    ) as caught:
        live(lambda client: client.classification.get_image_results(UNKNOWN_TASK))
    assert caught.value.status_code == 404


def test_status_of_an_unknown_task(live: Clients) -> None:
    with pytest.raises(
        PredictionTaskError, match=rf"^status failed: HTTP 404: No prediction task with uuid '{UNKNOWN_TASK}'"
    ):
        live(lambda client: client.classification.status(UNKNOWN_TASK))


def test_a_task_that_fails_on_the_server(live: Clients) -> None:
    with pytest.raises(PredictionTaskError, match=r"^prediction task \S+ failed with status 'failed_prediction'"):
        live(
            lambda client: client.classification.predict_video(
                Video.from_bytes(b"v", mime_type="video/mp4"), f"{MODEL}?fail=1"
            )
        )


def test_a_prediction_slower_than_its_timeout(live: Clients) -> None:
    # 1.5 s: long enough to reach 'predicting' on a loaded machine, far short of the 30 s task.
    with pytest.raises(
        PredictionTimeoutException,
        match=r"^prediction task \S+ did not complete within 1\.5 s \(last status 'predicting'\)",
    ):
        live(lambda client: client.classification.predict_image(image(), f"{MODEL}?delay=30", timeout_seconds=1.5))


def test_an_upload_whose_presigned_policy_has_expired(dragoneye_emulator: Emulator) -> None:
    dragoneye_emulator.config.upload_url_ttl_seconds = 0
    for kind in KINDS:
        with pytest.raises(PredictionUploadError, match=r"(?s)^upload failed: .*HTTP 403.*policy expired") as caught:
            Clients(kind, dragoneye_emulator)(lambda client: client.classification.predict_image(image(), MODEL))
        assert caught.value.status_code == 403
        # The upload goes to the storage host without the API key: a 403 there
        # is about the presigned policy, never about the key.
        assert "API key" not in str(caught.value)


def test_an_upload_larger_than_the_policy_allows(dragoneye_emulator: Emulator) -> None:
    dragoneye_emulator.config.upload_max_bytes = 10
    for kind in KINDS:
        with pytest.raises(PredictionUploadError, match=r"(?s)^upload failed: HTTP 400: .*EntityTooLarge") as caught:
            Clients(kind, dragoneye_emulator)(lambda client: client.classification.predict_image(image(), MODEL))
        assert caught.value.status_code == 400
