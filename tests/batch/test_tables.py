"""to_arrow / to_pandas / to_polars: the documented schema, one row per object or observation."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from dragoneye import (
    BboxObservation,
    ClassificationPredictImageResponse,
    ClassificationPredictVideoResponse,
    ImageAttributePrediction,
    ImageCategoryPrediction,
    ImageDetectedObject,
    ScoredTimestampRange,
    TimestampRange,
    VideoAttributePrediction,
    VideoBboxObservation,
    VideoCategoryPrediction,
    VideoDetectedObject,
)
from dragoneye._tables import results_schema
from dragoneye.batch import batch_schema

COLUMNS = [
    "media_name",
    "prediction_task_uuid",
    "object_id",
    "timestamp_us",
    "top_category_id",
    "top_category",
    "top_score",
    "x1",
    "y1",
    "x2",
    "y2",
    "bbox_score",
    "categories",
]


def image_response() -> ClassificationPredictImageResponse:
    def category(category_id: int, name: str, score: float) -> ImageCategoryPrediction:
        attribute = ImageAttributePrediction(
            attribute_id=7, attribute_name="Color", option_id=8, option_name="Red", score=0.5
        )
        return ImageCategoryPrediction(category_id=category_id, name=name, score=score, attributes=[attribute])

    objects = [
        ImageDetectedObject(
            object_id=1,
            bbox_observation=BboxObservation(normalized_bbox=(0.1, 0.2, 0.3, 0.4), bbox_score=0.9),
            categories=[category(1, "Car", 0.4), category(2, "Truck", 0.8)],
        ),
        ImageDetectedObject(
            object_id=2,
            bbox_observation=BboxObservation(normalized_bbox=(0.5, 0.5, 0.6, 0.7), bbox_score=0.7),
            categories=[],
        ),
    ]
    return ClassificationPredictImageResponse(objects=objects, prediction_task_uuid="t-1", original_file_name="a.jpg")


def video_response() -> ClassificationPredictVideoResponse:
    span = ScoredTimestampRange(timestamp_start_us_inclusive=0, timestamp_end_us_inclusive=1_000_000, score=0.6)
    attribute = VideoAttributePrediction(
        attribute_id=3, attribute_name="State", option_id=4, option_name="Moving", timestamp_ranges=[span]
    )
    track = VideoDetectedObject(
        object_id=5,
        timestamp_ranges=[TimestampRange(timestamp_start_us_inclusive=0, timestamp_end_us_inclusive=2_000_000)],
        bbox_observations=[
            VideoBboxObservation(
                timestamp_microseconds=0,
                observation=BboxObservation(normalized_bbox=(0.0, 0.1, 0.2, 0.3), bbox_score=0.95),
            ),
            VideoBboxObservation(timestamp_microseconds=1_000_000, observation=None),
            VideoBboxObservation(
                timestamp_microseconds=2_000_000,
                observation=BboxObservation(normalized_bbox=(0.1, 0.1, 0.3, 0.3), bbox_score=0.85),
            ),
        ],
        categories=[VideoCategoryPrediction(category_id=9, name="Bike", score=0.7, attributes=[attribute])],
    )
    return ClassificationPredictVideoResponse(
        objects=[track],
        frames_per_second=1,
        frame_timestamps_microseconds=[0, 1_000_000, 2_000_000],
        prediction_task_uuid="t-2",
        original_file_name="b.mp4",
    )


def test_the_schema_is_the_documented_one() -> None:
    assert results_schema().names == COLUMNS
    assert batch_schema().names == [*COLUMNS, "status", "error"]
    assert image_response().to_arrow().schema == video_response().to_arrow().schema == results_schema()


def test_an_image_gives_one_row_per_object() -> None:
    rows = image_response().to_arrow().to_pylist()
    assert [row["object_id"] for row in rows] == [1, 2]
    first = rows[0]
    assert first["media_name"] == "a.jpg" and first["prediction_task_uuid"] == "t-1"
    assert (first["top_category_id"], first["top_category"], first["top_score"]) == (2, "Truck", 0.8)
    assert (first["x1"], first["y1"], first["x2"], first["y2"], first["bbox_score"]) == (0.1, 0.2, 0.3, 0.4, 0.9)
    assert first["timestamp_us"] is None
    assert [category["name"] for category in first["categories"]] == ["Car", "Truck"]
    assert first["categories"][0]["attributes"][0] == {
        "attribute_id": 7,
        "attribute_name": "Color",
        "option_id": 8,
        "option_name": "Red",
        "score": 0.5,
        "timestamp_ranges": None,
    }
    assert rows[1]["top_category"] is None and rows[1]["categories"] == []


def test_a_video_gives_one_row_per_observation_with_gap_frames_null() -> None:
    rows = video_response().to_arrow().to_pylist()
    assert [(row["object_id"], row["timestamp_us"]) for row in rows] == [(5, 0), (5, 1_000_000), (5, 2_000_000)]
    gap = rows[1]
    assert gap["x1"] is gap["bbox_score"] is None
    assert gap["top_category"] == "Bike"
    attribute = rows[0]["categories"][0]["attributes"][0]
    assert attribute["score"] is None
    assert attribute["timestamp_ranges"] == [
        {"timestamp_start_us_inclusive": 0, "timestamp_end_us_inclusive": 1_000_000, "score": 0.6}
    ]


def _spans(*bounds: tuple[int, int]) -> list[ScoredTimestampRange]:
    return [
        ScoredTimestampRange(timestamp_start_us_inclusive=start, timestamp_end_us_inclusive=end, score=0.5)
        for start, end in bounds
    ]


def _video(frames: int, attributes: list[VideoAttributePrediction]) -> ClassificationPredictVideoResponse:
    """One track seen on `frames` frames, 1 s apart, of one category with `attributes`."""
    stamps = [second * 1_000_000 for second in range(frames)]
    track = VideoDetectedObject(
        object_id=1,
        timestamp_ranges=[TimestampRange(timestamp_start_us_inclusive=0, timestamp_end_us_inclusive=stamps[-1])],
        bbox_observations=[
            VideoBboxObservation(
                timestamp_microseconds=stamp,
                observation=BboxObservation(normalized_bbox=(0.1, 0.1, 0.2, 0.2), bbox_score=0.9),
            )
            for stamp in stamps
        ],
        categories=[VideoCategoryPrediction(category_id=1, name="Car", score=0.9, attributes=attributes)],
    )
    return ClassificationPredictVideoResponse(
        objects=[track],
        frames_per_second=1,
        frame_timestamps_microseconds=stamps,
        prediction_task_uuid="t",
        original_file_name="v.mp4",
    )


def _option(option_id: int, spans: list[ScoredTimestampRange]) -> VideoAttributePrediction:
    return VideoAttributePrediction(
        attribute_id=1,
        attribute_name="Color",
        option_id=option_id,
        option_name=f"option {option_id}",
        timestamp_ranges=spans,
    )


def _held(row: dict[str, Any]) -> list[tuple[int, list[tuple[int, int]]]]:
    """(option, [(start s, end s)]) of each attribute on a row of a one-category video."""
    (category,) = row["categories"]
    return [
        (
            attribute["option_id"],
            [
                (span["timestamp_start_us_inclusive"] // 1_000_000, span["timestamp_end_us_inclusive"] // 1_000_000)
                for span in attribute["timestamp_ranges"]
            ],
        )
        for attribute in category["attributes"]
    ]


def test_a_video_row_holds_the_options_in_effect_at_its_frame() -> None:
    # Red on frames 0-1 and 4, blue on 2-3; frame 5 has no color. Overlapping spans
    # of one option both show; an inverted span holds nowhere.
    red = _option(1, _spans((0, 1_000_000), (4_000_000, 4_000_000), (4_000_000, 4_500_000), (3_000_000, 2_000_000)))
    blue = _option(2, _spans((2_000_000, 3_000_000)))
    rows = _video(6, [red, blue]).to_arrow().to_pylist()
    assert [_held(row) for row in rows] == [
        [(1, [(0, 1)])],
        [(1, [(0, 1)])],
        [(2, [(2, 3)])],
        [(2, [(2, 3)])],
        [(1, [(4, 4), (4, 4)])],
        [],
    ]
    assert rows[5]["categories"][0]["name"] == "Car" and rows[5]["top_category"] == "Car"


def test_a_video_table_grows_with_its_observations_not_with_their_spans() -> None:
    # The option changes on every frame: each of the 2,000 rows holds the one
    # span of its frame, not all 2,000 (4 million spans in all).
    frames = 2000
    flicker = [_option(frame % 2, _spans((frame * 1_000_000, frame * 1_000_000))) for frame in range(frames)]
    table = _video(frames, flicker).to_arrow()
    spans = table.column("categories").combine_chunks().flatten().field("attributes").flatten()
    assert len(spans.field("timestamp_ranges").flatten()) == frames
    assert [_held(row) for row in table.slice(7, 2).to_pylist()] == [[(1, [(7, 7)])], [(0, [(8, 8)])]]


def test_pandas_and_polars_frames() -> None:
    frame = image_response().to_pandas()
    assert list(frame.columns) == COLUMNS and len(frame) == 2
    polars_frame = video_response().to_polars()
    assert polars_frame.columns == COLUMNS and polars_frame.height == 3
    assert polars_frame["bbox_score"].null_count() == 1


@pytest.mark.parametrize(
    ("method", "module", "extra"), [("to_pandas", "pandas", "pandas"), ("to_polars", "polars", "polars")]
)
def test_a_missing_library_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, method: str, module: str, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # an import of it now raises ImportError
    with pytest.raises(ImportError, match=rf'pip install "dragoneye-python\[{extra}\]"'):
        getattr(image_response(), method)()
