"""The video helpers on hand-built responses: snapping, gap frames, attributes over time, pixels."""

from __future__ import annotations

import pytest

from dragoneye import (
    BboxObservation,
    ClassificationPredictVideoResponse,
    ImageCategoryPrediction,
    ImageDetectedObject,
    ScoredTimestampRange,
    TimestampRange,
    VideoAttributePrediction,
    VideoBboxObservation,
    VideoCategoryPrediction,
    VideoDetectedObject,
)
from dragoneye.video import (
    attribute_timeline,
    format_timestamp,
    gap_frame_timestamps,
    summarize_track,
)

S = 1_000_000  # one second in microseconds
BOX_A = BboxObservation(normalized_bbox=(0.1, 0.2, 0.3, 0.4), bbox_score=0.9)
BOX_B = BboxObservation(normalized_bbox=(0.2, 0.3, 0.4, 0.5), bbox_score=0.8)
BOX_C = BboxObservation(normalized_bbox=(0.5, 0.5, 0.9, 0.9), bbox_score=0.7)


def span(start: int, end: int) -> TimestampRange:
    return TimestampRange(timestamp_start_us_inclusive=start, timestamp_end_us_inclusive=end)


def scored(start: int, end: int, score: float) -> ScoredTimestampRange:
    return ScoredTimestampRange(timestamp_start_us_inclusive=start, timestamp_end_us_inclusive=end, score=score)


def option(attribute: str, name: str, *ranges: ScoredTimestampRange, attribute_id: int = 7) -> VideoAttributePrediction:
    return VideoAttributePrediction(
        attribute_id=attribute_id,
        attribute_name=attribute,
        option_id=hash(name) % 1000,
        option_name=name,
        timestamp_ranges=list(ranges),
    )


# A traffic light seen 0-3 s with a gap frame at 2 s, green until 1 s, then red.
LIGHT_STATE = [
    option("Signal State", "Green", scored(0, 1 * S, 0.9)),
    option("Signal State", "Red", scored(2 * S, 3 * S, 0.8)),
    option("Signal Type", "Vehicle", scored(0, 3 * S, 0.6), attribute_id=8),
]
LIGHT = VideoDetectedObject(
    object_id=1,
    timestamp_ranges=[span(0, 3 * S)],
    bbox_observations=[
        VideoBboxObservation(timestamp_microseconds=0, observation=BOX_A),
        VideoBboxObservation(timestamp_microseconds=1 * S, observation=BOX_B),
        VideoBboxObservation(timestamp_microseconds=2 * S, observation=None),
        VideoBboxObservation(timestamp_microseconds=3 * S, observation=BOX_C),
    ],
    categories=[
        VideoCategoryPrediction(category_id=1, name="Pole", score=0.3, attributes=[]),
        VideoCategoryPrediction(category_id=2, name="Traffic Light", score=0.95, attributes=LIGHT_STATE),
    ],
)
# A car on screen 1 s, off at 2-3 s, back at 4 s.
CAR = VideoDetectedObject(
    object_id=2,
    timestamp_ranges=[span(1 * S, 1 * S), span(4 * S, 4 * S)],
    bbox_observations=[
        VideoBboxObservation(timestamp_microseconds=1 * S, observation=BOX_C),
        VideoBboxObservation(timestamp_microseconds=4 * S, observation=BOX_A),
    ],
    categories=[],
)


def response(frames: list[int], objects: list[VideoDetectedObject] | None = None) -> ClassificationPredictVideoResponse:
    return ClassificationPredictVideoResponse(
        objects=objects if objects is not None else [LIGHT, CAR],
        frames_per_second=1,
        frame_timestamps_microseconds=frames,
        prediction_task_uuid="task",
        original_file_name="clip.mp4",
    )


VIDEO = response([0, 1 * S, 2 * S, 3 * S, 4 * S])


@pytest.mark.parametrize(
    ("timestamp", "frame"),
    [
        (-5 * S, 0),  # before the first frame
        (0, 0),
        (400_000, 0),
        (500_000, 0),  # exact tie: the earlier frame
        (500_001, 1 * S),
        (2 * S, 2 * S),  # exact
        (3_500_000, 3 * S),  # tie again
        (4 * S, 4 * S),
        (99 * S, 4 * S),  # after the last frame
    ],
)
def test_nearest_frame(timestamp: int, frame: int) -> None:
    assert VIDEO.nearest_frame(timestamp) == frame


def test_nearest_frame_single_and_empty() -> None:
    assert response([7]).nearest_frame(-1) == 7
    assert response([7]).nearest_frame(100) == 7
    with pytest.raises(ValueError, match="no frame"):
        response([]).nearest_frame(0)
    with pytest.raises(ValueError, match="no frame"):
        response([]).objects_at(0)


def test_nearest_frame_uneven_spacing() -> None:
    video = response([0, 100, 1_000])
    assert video.nearest_frame(549) == 100
    assert video.nearest_frame(550) == 100  # tie
    assert video.nearest_frame(551) == 1_000


def test_objects_at_with_boxes_gaps_and_absences() -> None:
    assert VIDEO.objects_at(0) == [(LIGHT, BOX_A)]
    assert VIDEO.objects_at(1_200_000) == [(LIGHT, BOX_B), (CAR, BOX_C)]
    assert VIDEO.objects_at(2 * S) == [(LIGHT, None)]  # gap frame: on screen, no box
    assert VIDEO.objects_at(3 * S) == [(LIGHT, BOX_C)]  # the car is between its two ranges
    assert VIDEO.objects_at(10 * S) == [(CAR, BOX_A)]  # snapped to the last frame


def test_objects_at_on_a_frame_without_detections() -> None:
    video = response([0, 1 * S, 2 * S], objects=[CAR])
    assert video.objects_at(0) == []


def test_observation_at() -> None:
    assert LIGHT.observation_at(1 * S) == BOX_B
    assert LIGHT.observation_at(2 * S) is None  # gap frame
    assert LIGHT.observation_at(1_400_000) == BOX_B  # snaps within the track
    assert LIGHT.observation_at(1_500_000) == BOX_B  # tie: the earlier frame
    assert LIGHT.observation_at(-1) is None  # before it appeared
    assert CAR.observation_at(2 * S) is None  # off screen between its ranges
    assert CAR.observation_at(4 * S) == BOX_A


def test_attribute_at_follows_changes_over_time() -> None:
    light = LIGHT.top_category()
    assert light is not None and light.name == "Traffic Light"
    green = light.attribute_at("Signal State", 0)
    assert green is not None and green.option_name == "Green"
    assert (light.attribute_at(7, 1 * S) or green).option_name == "Green"  # inclusive end
    red = light.attribute_at(7, 2 * S)
    assert red is not None and red.option_name == "Red"
    assert light.attribute_at("Signal State", 1_500_000) is None  # no range covers it
    assert light.attribute_at("Signal State", 4 * S) is None
    assert light.attribute_at("Signal Type", 2 * S) == LIGHT_STATE[2]
    assert light.attribute_at("Unknown", 0) is None
    assert light.attribute_at(8, 0) == LIGHT_STATE[2]


def test_attribute_at_prefers_the_higher_score_where_options_overlap() -> None:
    category = VideoCategoryPrediction(
        category_id=1,
        name="Car",
        score=0.9,
        attributes=[
            option("Color", "Red", scored(0, 2 * S, 0.4)),
            option("Color", "Blue", scored(1 * S, 3 * S, 0.7)),
        ],
    )
    assert (category.attribute_at("Color", 0) or LIGHT_STATE[0]).option_name == "Red"
    assert (category.attribute_at("Color", 1 * S) or LIGHT_STATE[0]).option_name == "Blue"


@pytest.mark.parametrize(
    ("box", "size", "pixels"),
    [
        ((0.1, 0.2, 0.3, 0.4), (100, 50), (10, 10, 30, 20)),
        ((0.125, 0.375, 0.5, 1.0), (10, 10), (1, 4, 5, 10)),  # round half to even
        ((0.333, 0.667, 0.999, 0.001), (3, 3), (1, 2, 3, 0)),
        ((-0.2, -0.1, 1.3, 1.01), (640, 400), (0, 0, 640, 400)),  # clamped
        ((0.0, 0.0, 1.0, 1.0), (1, 1), (0, 0, 1, 1)),
    ],
)
def test_to_pixels(box: tuple[float, float, float, float], size: tuple[int, int], pixels: tuple[int, ...]) -> None:
    observation = BboxObservation(normalized_bbox=box, bbox_score=1.0)
    assert observation.to_pixels(*size) == pixels


@pytest.mark.parametrize("size", [(0, 10), (10, -1), (10.5, 10), (True, 10)])
def test_to_pixels_rejects_bad_sizes(size: tuple[object, object]) -> None:
    with pytest.raises(ValueError, match="positive integer"):
        BOX_A.to_pixels(*size)  # type: ignore[arg-type]


def test_top_category() -> None:
    image_object = ImageDetectedObject(
        object_id=1,
        bbox_observation=BOX_A,
        categories=[
            ImageCategoryPrediction(category_id=1, name="Shed", score=0.2, attributes=[]),
            ImageCategoryPrediction(category_id=2, name="Garage", score=0.8, attributes=[]),
        ],
    )
    assert (image_object.top_category() or image_object.categories[0]).name == "Garage"
    assert CAR.top_category() is None


def test_summarize_track() -> None:
    light = summarize_track(LIGHT)
    assert (light.category, light.score) == ("Traffic Light", 0.95)
    assert (light.start_us, light.end_us, light.spans) == (0, 3 * S, [(0, 3 * S)])
    assert (light.frames_seen, light.gap_frames) == (3, 1)
    car = summarize_track(CAR)
    assert car.category is None and car.spans == [(1 * S, 1 * S), (4 * S, 4 * S)]
    assert (car.frames_seen, car.gap_frames) == (2, 0)
    empty = summarize_track(VideoDetectedObject(object_id=3, timestamp_ranges=[], bbox_observations=[], categories=[]))
    assert (empty.start_us, empty.end_us, empty.frames_seen) == (None, None, 0)


def test_gap_frame_timestamps() -> None:
    assert gap_frame_timestamps(LIGHT) == [2 * S]
    assert gap_frame_timestamps(CAR) == []


def test_attribute_timeline() -> None:
    light = LIGHT.categories[1]
    timeline = attribute_timeline(light)
    assert list(timeline) == ["Signal State", "Signal Type"]
    assert [(item.option_name, item.start_us, item.end_us) for item in timeline["Signal State"]] == [
        ("Green", 0, 1 * S),
        ("Red", 2 * S, 3 * S),
    ]


@pytest.mark.parametrize(
    ("timestamp", "text"),
    [(0, "0s"), (1_500_000, "1.5s"), (33_333, "0.033s"), (61 * S, "1:01s"), (60 * S + 500_000, "1:00.5s")],
)
def test_format_timestamp(timestamp: int, text: str) -> None:
    assert format_timestamp(timestamp) == text


def test_helpers_do_not_change_serialization() -> None:
    assert set(VIDEO.to_dict()) == {
        "objects",
        "frames_per_second",
        "frame_timestamps_microseconds",
        "prediction_task_uuid",
        "original_file_name",
    }
