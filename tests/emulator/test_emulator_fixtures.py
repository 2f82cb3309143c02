"""Fixtures: the emulator answers known results for given media, through the real archive encoder."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from dragoneye import (
    BboxObservation,
    ClassificationPredictImageResponse,
    Dragoneye,
    Image,
    Video,
)
from dragoneye.emulator import Emulator, EmulatorConfig
from dragoneye.emulator.__main__ import _parser as cli_parser
from dragoneye.emulator.__main__ import config_from_args
from dragoneye.emulator.fixtures import fixture_key, load_fixtures
from dragoneye.samples import SAMPLE_FIXTURES, SAMPLE_IMAGE, SAMPLE_VIDEO
from dragoneye.types.exception import PredictionTaskError

MODEL = "recognize_anything/fixtures"
PHOTO = b"not really a jpeg, but bytes all the same"


def sample_result(kind: str) -> Any:
    """The shipped fixture of a sample, as a response object."""
    sample = SAMPLE_IMAGE if kind == "image" else SAMPLE_VIDEO
    return load_fixtures(SAMPLE_FIXTURES)[hashlib.sha256(sample.read_bytes()).hexdigest()]


def predict_image(emulator: Emulator, data: bytes, name: str = "photo.jpg") -> ClassificationPredictImageResponse:
    with Dragoneye(api_key=emulator.api_key, base_api_url=emulator.base_url) as client:
        return client.classification.predict_image(Image.from_bytes(data, mime_type="image/jpeg", name=name), MODEL)


@pytest.mark.parametrize("key", ["bytes", "sha256"])
def test_add_fixture_answers_exactly_the_result_given(emulator: Emulator, key: str) -> None:
    given = sample_result("image")
    filed = emulator.add_fixture(PHOTO if key == "bytes" else hashlib.sha256(PHOTO).hexdigest().upper(), given)
    assert filed == hashlib.sha256(PHOTO).hexdigest()
    result = predict_image(emulator, PHOTO)
    assert result.objects == given.objects
    assert result.original_file_name == "photo.jpg"  # the task's own name and uuid
    assert result.prediction_task_uuid
    # Other media still get generated results.
    assert predict_image(emulator, PHOTO + b"!").objects != given.objects


def test_a_fixture_may_be_given_as_to_dict_json(emulator: Emulator) -> None:
    given = sample_result("image")
    emulator.add_fixture(PHOTO, json.loads(json.dumps(given.to_dict())))
    assert predict_image(emulator, PHOTO).objects == given.objects


def test_emulator_config_takes_fixtures() -> None:
    video = sample_result("video")
    data = SAMPLE_VIDEO.read_bytes()
    with (
        Emulator(EmulatorConfig(fixtures={data: video.to_dict()})) as emulator,
        Dragoneye(api_key=emulator.api_key, base_api_url=emulator.base_url) as client,
    ):
        # Asked for 1 fps, the fixture's 2 fps comes back: the result is the one given.
        result = client.classification.predict_video(Video.from_bytes(data, mime_type="video/mp4"), MODEL)
    assert result.objects == video.objects
    assert result.frames_per_second == video.frames_per_second == 2
    assert result.frame_timestamps_microseconds == video.frame_timestamps_microseconds


def test_numbers_travel_as_float32_as_the_api_sends_them(emulator: Emulator) -> None:
    given = sample_result("image")
    first = given.objects[0]
    box = BboxObservation(normalized_bbox=(0.1, 0.2, 0.3, 0.4), bbox_score=0.93)
    emulator.add_fixture(PHOTO, {"objects": [{**first.to_dict(), "bbox_observation": box.to_dict()}]})
    (got,) = predict_image(emulator, PHOTO).objects
    assert got.bbox_observation.bbox_score == 0.9300000071525574
    assert got.bbox_observation.normalized_bbox[0] == pytest.approx(0.1, abs=1e-7)


def test_a_fixture_of_the_wrong_kind_fails_the_task(emulator: Emulator) -> None:
    emulator.add_fixture(PHOTO, sample_result("video"))
    with pytest.raises(PredictionTaskError, match="failed_prediction"):
        predict_image(emulator, PHOTO)


@pytest.mark.parametrize(
    ("media", "result", "message"),
    [
        ("not-a-digest", {"objects": []}, "SHA-256"),
        (PHOTO, {"objects": [{"object_id": "x"}]}, "object_id"),
        (PHOTO, 42, "a response or its to_dict"),
    ],
)
def test_bad_fixtures_are_refused_naming_the_problem(media: Any, result: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EmulatorConfig(fixtures={media: result})


def test_the_fixtures_flag_reads_a_directory_keyed_by_sha256(tmp_path: Path) -> None:
    given = sample_result("image")
    (tmp_path / f"{fixture_key(PHOTO)}.json").write_text(json.dumps(given.to_dict()))
    config = config_from_args(cli_parser().parse_args(["--fixtures", str(tmp_path)]))
    assert config.fixtures == {fixture_key(PHOTO): given}
    (tmp_path / "photo.json").write_text("{}")
    with pytest.raises(ValueError, match=r"photo\.json"):
        config_from_args(cli_parser().parse_args(["--fixtures", str(tmp_path)]))


def test_the_samples_fixtures_describe_what_is_in_them() -> None:
    image, video = sample_result("image"), sample_result("video")
    names = {obj.top_category().name: obj.bbox_observation.normalized_bbox for obj in image.objects}
    assert set(names) == {"House (detached)", "Garage (detached)", "Car", "Tree"}
    house, garage, car, tree = (names[n] for n in ("House (detached)", "Garage (detached)", "Car", "Tree"))
    assert house[2] < garage[0]  # the house is left of the garage
    assert tree[3] < 0.7 and tree[0] > garage[2]  # the tree stands right of the garage, above the road
    assert car[1] > 0.7  # the car is on the road, at the bottom
    assert all(obj.top_category().attributes for obj in image.objects)
    # In the video the car drives left to right; the other objects stay put.
    (moving,) = [obj for obj in video.objects if obj.top_category().name == "Car"]
    lefts = [seen.observation.normalized_bbox[0] for seen in moving.bbox_observations if seen.observation]
    assert lefts == sorted(lefts) and lefts[-1] - lefts[0] > 0.5
