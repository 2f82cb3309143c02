# Generated from tests/_async/ by generator/generate.py (unasync). Do not edit.
"""Every public method, replayed from cassettes recorded against the emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dragoneye import Dragoneye, Image, Video

MODEL = "recognize_anything/test_model"


def make_client(target: Any) -> Dragoneye:
    return Dragoneye(api_key=target.api_key, base_api_url=target.base_url, max_poll_interval=0.05)


def test_predict_image_cassette(
    cassette_target: Any, use_cassette: Any, expected_result: Any, image_path: Path
) -> None:
    with use_cassette("predict_image"):
        with make_client(cassette_target) as client:
            result = client.classification.predict_image(Image.from_path(image_path), MODEL)
    assert result.objects
    assert result.to_dict() == expected_result("predict_image", result.to_dict())


def test_predict_video_cassette(
    cassette_target: Any, use_cassette: Any, expected_result: Any, video_path: Path
) -> None:
    with use_cassette("predict_video"):
        with make_client(cassette_target) as client:
            video = Video.from_path(video_path, name="street")
            result = client.classification.predict_video(video, MODEL, frames_per_second=2)
    assert result.frames_per_second == 2 and result.original_file_name == "street"
    assert any(obs.observation is None for obj in result.objects for obs in obj.bbox_observations)
    assert result.to_dict() == expected_result("predict_video", result.to_dict())


def test_status_and_results_cassette(
    cassette_target: Any, use_cassette: Any, expected_result: Any, image_path: Path, video_path: Path
) -> None:
    with use_cassette("status_and_results"):
        with make_client(cassette_target) as client:
            image = client.classification.predict_image(Image.from_path(image_path), MODEL)
            video = client.classification.predict_video(Video.from_path(video_path), MODEL)
            status = client.classification.status(video.prediction_task_uuid)
            image_again = client.classification.get_image_results(image.prediction_task_uuid)
            video_again = client.classification.get_video_results(video.prediction_task_uuid)
    assert (status.prediction_type, status.status) == ("video", "predicted")
    assert image_again == image and video_again == video
    recorded = {"status": status.to_dict(), "image": image.to_dict(), "video": video.to_dict()}
    assert recorded == expected_result("status_and_results", recorded)


def test_cassettes_hold_no_secrets() -> None:
    cassettes = sorted((Path(__file__).resolve().parents[1] / "cassettes").glob("*.yaml"))
    assert len(cassettes) >= 3
    for cassette in cassettes:
        text = cassette.read_text()
        assert "emulator-key" not in text and "cassette-key" not in text
        assert "x-api-key" not in text.lower()
        assert "x-dragoneye-signature" in text and "SCRUBBED" in text
