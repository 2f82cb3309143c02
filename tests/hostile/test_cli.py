"""The CLI prints and draws what a server sent safely, and --draw never destroys a file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dragoneye import (
    BboxObservation,
    ClassificationPredictImageResponse,
    ClassificationPredictVideoResponse,
    ImageAttributePrediction,
    ImageCategoryPrediction,
    ImageDetectedObject,
    TimestampRange,
    VideoBboxObservation,
    VideoCategoryPrediction,
    VideoDetectedObject,
)
from dragoneye.cli import main
from dragoneye.emulator.archive import encode_results

from .conftest import IMAGE
from .server import KEY, HostileServer, begin_body, status_body

EVIL = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\nfake line"


def evil_result(name: str = EVIL) -> ImageDetectedObject:
    attribute = ImageAttributePrediction(attribute_id=1, attribute_name=EVIL, option_id=2, option_name=EVIL, score=0.5)
    category = ImageCategoryPrediction(category_id=1, name=name, score=0.75, attributes=[attribute])
    box = BboxObservation(normalized_bbox=(0.125, 0.25, 0.5, 0.75), bbox_score=0.5)
    return ImageDetectedObject(object_id=1, bbox_observation=box, categories=[category])


def raw_controls(text: str) -> list[str]:
    return [char for char in text if (ord(char) < 32 and char != "\n") or 0x7F <= ord(char) <= 0x9F or char == "\u202e"]


@pytest.fixture
def evil_server(server: HostileServer) -> HostileServer:
    archive = encode_results([evil_result()])
    server.routes["/prediction-task/results"] = lambda exchange: exchange.reply(200, archive)
    server.routes["/prediction-task/status"] = lambda exchange: exchange.reply(200, status_body("predicted"))
    return server


@pytest.mark.parametrize("json_output", [False, True])
def test_server_strings_reach_the_terminal_escaped(
    evil_server: HostileServer, capsys: pytest.CaptureFixture[str], json_output: bool
) -> None:
    argv = ["--api-key", KEY, "--base-url", evil_server.url, "results", "t", "--type", "image"]
    assert main([*argv, "--json"] if json_output else argv) == 0
    out = capsys.readouterr().out
    assert raw_controls(out) == []
    assert out.count("\n") == (1 if json_output else out.count("\n"))
    assert ("\\u001b" if json_output else "\\x1b]0;pwned") in out


def test_a_server_status_and_error_are_escaped(server: HostileServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.routes["/prediction-task/status"] = lambda exchange: exchange.reply(200, status_body(EVIL))
    server.routes["/prediction-task/results"] = lambda exchange: exchange.reply(400, {"detail": EVIL})
    assert main(["--api-key", KEY, "--base-url", server.url, "status", "t"]) == 0
    assert main(["--api-key", KEY, "--base-url", server.url, "results", "t", "--type", "image"]) == 1
    captured = capsys.readouterr()
    assert raw_controls(captured.out) == [] and raw_controls(captured.err) == []
    assert "\\x1b[2J" in captured.out and "\\x1b[2J" in captured.err


def test_a_long_label_draws_quickly(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    from dragoneye.cli import _draw

    name = "x" * 8000 + EVIL
    result = ClassificationPredictImageResponse(
        objects=[evil_result(name)], prediction_task_uuid="t", original_file_name=None
    )
    category = VideoCategoryPrediction(category_id=1, name=name, score=0.5, attributes=[])
    track = VideoDetectedObject(
        object_id=1,
        timestamp_ranges=[TimestampRange(timestamp_start_us_inclusive=0, timestamp_end_us_inclusive=0)],
        bbox_observations=[VideoBboxObservation(timestamp_microseconds=0, observation=evil_result().bbox_observation)],
        categories=[category],
    )
    video = ClassificationPredictVideoResponse(
        objects=[track],
        frames_per_second=1,
        frame_timestamps_microseconds=[0],
        prediction_task_uuid="t",
        original_file_name=None,
    )
    start = time.monotonic()
    _draw.annotate_image(IMAGE, result, tmp_path / "out.png")
    _draw.draw_timeline(video, tmp_path / "timeline.png", EVIL)
    assert time.monotonic() - start < 2.0


def test_draw_never_writes_over_an_input_or_an_existing_file(
    server: HostileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("PIL")
    server.routes["/prediction-task/begin"] = lambda ex: ex.reply(200, begin_body(server.url + "/upload"))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(IMAGE.read_bytes())
    existing = tmp_path / "existing.png"
    existing.write_bytes(b"precious")
    base = ["--api-key", KEY, "--base-url", server.url, "predict", str(photo), "--model", "m", "--draw"]

    assert main([*base, str(photo)]) == 2
    assert main([*base, str(existing)]) == 2
    assert photo.read_bytes() == IMAGE.read_bytes() and existing.read_bytes() == b"precious"
    err = capsys.readouterr().err
    assert "over the input" in err and "--overwrite" in err
    assert not [r for r in server.received if r.path == "/upload"]  # refused before anything was sent

    assert main([*base, str(existing), "--overwrite"]) == 0
    assert existing.read_bytes() != b"precious"
