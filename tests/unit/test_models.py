"""The generated public types with their hand-written methods: values, and from_dict/to_dict."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from dragoneye.models import (
    BboxObservation,
    ClassificationPredictImageResponse,
    ClassificationPredictVideoResponse,
    PredictionTaskStatusResponse,
    PredictionType,
    VideoBboxObservation,
)

VIDEO: dict[str, Any] = {
    "objects": [
        {
            "object_id": 1,
            "timestamp_ranges": [{"timestamp_start_us_inclusive": 0, "timestamp_end_us_inclusive": 1000}],
            "bbox_observations": [
                {
                    "timestamp_microseconds": 0,
                    "observation": {"normalized_bbox": [0.1, 0.2, 0.3, 0.4], "bbox_score": 1},
                },
                {"timestamp_microseconds": 1000, "observation": None},
            ],
            "categories": [
                {
                    "category_id": 7,
                    "name": "car",
                    "score": 0.5,
                    "attributes": [
                        {
                            "attribute_id": 3,
                            "attribute_name": "colour",
                            "option_id": 4,
                            "option_name": "red",
                            "timestamp_ranges": [
                                {"timestamp_start_us_inclusive": 0, "timestamp_end_us_inclusive": 1000, "score": 0.25}
                            ],
                        }
                    ],
                }
            ],
        }
    ],
    "frames_per_second": 1,
    "frame_timestamps_microseconds": [0, 1000],
    "prediction_task_uuid": "task-1",
    "original_file_name": None,
}


def test_a_video_response_round_trips_and_is_a_hashable_value() -> None:
    video = ClassificationPredictVideoResponse.from_dict(VIDEO)
    (track,) = video.objects
    assert track.bbox_observations[0].observation == BboxObservation(
        normalized_bbox=(0.1, 0.2, 0.3, 0.4), bbox_score=1.0
    )
    observation = track.bbox_observations[0].observation
    assert observation is not None and type(observation.bbox_score) is float  # JSON's 1 read as a float
    assert track.categories[0].attribute_at("colour", 500) is track.categories[0].attributes[0]
    assert video.to_dict() == VIDEO
    assert {video: 1}[ClassificationPredictVideoResponse.from_dict(video.to_dict())] == 1
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        video.frames_per_second = 2  # type: ignore[misc]


def test_sequences_given_as_lists_are_stored_as_tuples() -> None:
    response = ClassificationPredictImageResponse(objects=[], prediction_task_uuid="u", original_file_name=None)
    assert response.objects == ()
    hash(response)


def test_unknown_keys_are_ignored_and_the_enum_is_a_str() -> None:
    status = PredictionTaskStatusResponse.from_dict(
        {"prediction_task_uuid": "u", "prediction_type": "image", "status": "predicted", "new": [1]}
    )
    assert status.prediction_type == "image" and f"{status.prediction_type}" == "image"
    assert status.prediction_type is PredictionType.IMAGE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], r"^VideoBboxObservation: expected an object, got list \[\]$"),
        ({"observation": None}, r"^VideoBboxObservation: lacks 'timestamp_microseconds'$"),
        (
            {"timestamp_microseconds": True, "observation": None},
            r"^VideoBboxObservation\.timestamp_microseconds: expected int, got bool True$",
        ),
        (
            {"timestamp_microseconds": 1, "observation": {"normalized_bbox": [0, 0, 1], "bbox_score": 1}},
            r"^VideoBboxObservation\.observation\.normalized_bbox: expected an array of 4 items, got list",
        ),
        (
            {"timestamp_microseconds": 1, "observation": {"normalized_bbox": [0, 0, 1, "1"], "bbox_score": 1}},
            r"^VideoBboxObservation\.observation\.normalized_bbox\[3\]: expected float, got str '1'$",
        ),
    ],
)
def test_from_dict_names_the_first_bad_value(data: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        VideoBboxObservation.from_dict(data)


def test_from_dict_names_a_bad_array_and_a_bad_enum() -> None:
    with pytest.raises(ValueError, match=r"^ClassificationPredictVideoResponse\.objects: expected an array, got dict"):
        ClassificationPredictVideoResponse.from_dict({**VIDEO, "objects": {}})
    with pytest.raises(ValueError, match=r"prediction_type: str 'x' is not one of 'image', 'video'$"):
        PredictionTaskStatusResponse.from_dict({"prediction_task_uuid": "u", "prediction_type": "x", "status": "s"})


def test_model_dump_is_to_dict() -> None:
    box = BboxObservation(normalized_bbox=(0.0, 0.0, 1.0, 1.0), bbox_score=0.5)
    assert box.model_dump() == box.to_dict() == {"normalized_bbox": [0.0, 0.0, 1.0, 1.0], "bbox_score": 0.5}


def _attrs_repr(value: Any) -> str:
    """What attrs would show: every field, in full."""
    if attrs.has(type(value)):
        names = [field.name for field in attrs.fields(type(value))]
        fields = ", ".join(f"{name}={_attrs_repr(getattr(value, name))}" for name in names)
        return f"{type(value).__name__}({fields})"
    if isinstance(value, tuple):
        return "(" + ", ".join(_attrs_repr(item) for item in value) + ("," if len(value) == 1 else "") + ")"
    return repr(value)


def test_a_small_value_shows_every_field_as_attrs_would() -> None:
    video = ClassificationPredictVideoResponse.from_dict(VIDEO)
    assert repr(video) == _attrs_repr(video)
    assert repr(video).startswith("ClassificationPredictVideoResponse(objects=(VideoDetectedObject(object_id=1, ")
    assert str(video) == repr(video)


def test_a_large_result_is_shown_briefly() -> None:
    data = {
        **VIDEO,
        "objects": [{**VIDEO["objects"][0], "object_id": index} for index in range(500)],
        "frame_timestamps_microseconds": list(range(0, 600_000_000, 1_000_000)),
    }
    data["objects"][0]["categories"][0]["name"] = "x" * 1_000_000
    text = repr(ClassificationPredictVideoResponse.from_dict(data))
    assert len(text) < 5_000
    assert "VideoDetectedObject(object_id=4, " in text and "object_id=5, " not in text
    assert "... 495 more)" in text and "... 595 more)" in text
    assert "... (1,000,000 characters)" in text
