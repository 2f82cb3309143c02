"""What the emulator generates for one media: tracked objects with their
categories and attribute runs, and their conversion to the public result types."""

from __future__ import annotations

from typing import Literal

import attrs

from .._results._assemble import Checkpoint, no_checkpoint
from ..models import (
    BboxObservation,
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
from .taxonomy import Attribute, Category

PredictionType = Literal["image", "video"]
Box = tuple[float, float, float, float]


@attrs.define
class AttributeRun:
    """One chosen option of one attribute, with the spans over which it held."""

    attribute: Attribute
    option_id: int
    option_name: str
    ranges: list[tuple[int, int, float]]
    """(start us, end us, score) spans, in time order."""


@attrs.define
class CategoryResult:
    """One category of one object, and its attribute runs."""

    category: Category
    score: float
    attributes: list[AttributeRun]


@attrs.define
class Track:
    """One detected object: where it was on every frame of its lifespan, and what it is."""

    object_id: int
    ranges: list[tuple[int, int]]
    """(start us, end us) spans of its lifespan."""
    timestamps: list[int]
    boxes: list[Box | None]
    """None on a gap frame."""
    scores: list[float | None]
    categories: list[CategoryResult] = attrs.field(factory=list)


@attrs.define
class GeneratedResults:
    """A whole result, convertible to the public types or straight to arrow."""

    prediction_type: PredictionType
    tracks: list[Track]
    frame_timestamps: list[int] | None
    """Every processed frame (videos), None for images."""
    frames_per_second: int | None

    @property
    def observation_count(self) -> int:
        """Box observations over all tracks: the size of the result."""
        return sum(len(track.timestamps) for track in self.tracks)

    def image_objects(self) -> list[ImageDetectedObject]:
        """The result as the public image types."""
        return [
            ImageDetectedObject(
                object_id=track.object_id,
                bbox_observation=_image_observation(track),
                categories=[
                    ImageCategoryPrediction(
                        category_id=result.category.category_id,
                        name=result.category.name,
                        score=result.score,
                        attributes=[
                            ImageAttributePrediction(
                                attribute_id=run.attribute.attribute_id,
                                attribute_name=run.attribute.name,
                                option_id=run.option_id,
                                option_name=run.option_name,
                                score=run.ranges[0][2],
                            )
                            for run in result.attributes
                        ],
                    )
                    for result in track.categories
                ],
            )
            for track in self.tracks
        ]

    def video_objects(self, checkpoint: Checkpoint = no_checkpoint) -> list[VideoDetectedObject]:
        """The result as the public video types."""
        objects: list[VideoDetectedObject] = []
        for track in self.tracks:
            checkpoint()
            objects.append(_video_object(track))
        return objects


def _video_object(track: Track) -> VideoDetectedObject:
    return VideoDetectedObject(
        object_id=track.object_id,
        timestamp_ranges=[
            TimestampRange(timestamp_start_us_inclusive=start, timestamp_end_us_inclusive=end)
            for start, end in track.ranges
        ],
        bbox_observations=[
            VideoBboxObservation(
                timestamp_microseconds=timestamp,
                observation=None
                if box is None or score is None
                else BboxObservation(normalized_bbox=box, bbox_score=score),
            )
            for timestamp, box, score in zip(track.timestamps, track.boxes, track.scores, strict=True)
        ],
        categories=[
            VideoCategoryPrediction(
                category_id=result.category.category_id,
                name=result.category.name,
                score=result.score,
                attributes=[
                    VideoAttributePrediction(
                        attribute_id=run.attribute.attribute_id,
                        attribute_name=run.attribute.name,
                        option_id=run.option_id,
                        option_name=run.option_name,
                        timestamp_ranges=[
                            ScoredTimestampRange(
                                timestamp_start_us_inclusive=start,
                                timestamp_end_us_inclusive=end,
                                score=score,
                            )
                            for start, end, score in run.ranges
                        ],
                    )
                    for run in result.attributes
                ],
            )
            for result in track.categories
        ],
    )


def _image_observation(track: Track) -> BboxObservation:
    box, score = track.boxes[0], track.scores[0]
    if box is None or score is None:  # pragma: no cover - an image track never has a gap
        raise AssertionError("an image observation is never a gap")
    return BboxObservation(normalized_bbox=box, bbox_score=score)
