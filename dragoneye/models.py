# Generated from openapi.yaml by generator/generate.py (generator/public_models.py). Do not edit.
"""The public result types, exactly as the documentation names them.

Keyword-only, slotted, frozen attrs classes generated from the components of
openapi.yaml; sequences are tuples, so every value is immutable and hashable.
Their methods (`to_dict`, `from_dict`, lookups) and their repr (which
shortens long sequences) are written by hand in dragoneye/_behaviour.py.
"""

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeAlias

import attrs

from ._behaviour import (
    BboxObservationMethods,
    ClassificationPredictImageResponseMethods,
    ClassificationPredictVideoResponseMethods,
    ImageDetectedObjectMethods,
    Value,
    VideoCategoryPredictionMethods,
    VideoDetectedObjectMethods,
)

__all__ = [
    "BboxObservation",
    "ClassificationPredictImageResponse",
    "ClassificationPredictVideoResponse",
    "ImageAttributePrediction",
    "ImageCategoryPrediction",
    "ImageDetectedObject",
    "NormalizedBbox",
    "PredictionTaskStatusResponse",
    "PredictionType",
    "ScoredTimestampRange",
    "TimestampRange",
    "VideoAttributePrediction",
    "VideoBboxObservation",
    "VideoCategoryPrediction",
    "VideoDetectedObject",
]


def _tuple_of_int(items: Iterable[int]) -> tuple[int, ...]:
    return tuple(items)


NormalizedBbox: TypeAlias = tuple[float, float, float, float]
"""(x1, y1, x2, y2), each in [0, 1]."""


class PredictionType(StrEnum):
    """Whether a task predicts an image or a video."""

    IMAGE = "image"
    VIDEO = "video"


@attrs.frozen(kw_only=True, repr=False)
class PredictionTaskStatusResponse(Value):
    """The status of a prediction task."""

    prediction_task_uuid: str
    """The unique identifier for the task."""
    prediction_type: PredictionType
    """Either `image` or `video`."""
    status: str
    """`predicted` when done; a state starting with `failed` when the task failed; anything else
    (including states added later) while running.
    """


@attrs.frozen(kw_only=True, repr=False)
class TimestampRange(Value):
    """A contiguous span in microseconds, inclusive on both ends."""

    timestamp_start_us_inclusive: int
    """Start of the span in microseconds."""
    timestamp_end_us_inclusive: int
    """End of the span in microseconds."""


def _tuple_of_timestamp_range(items: Iterable[TimestampRange]) -> tuple[TimestampRange, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True, repr=False)
class ScoredTimestampRange(Value):
    """A TimestampRange with the mean score of the chosen option over it."""

    timestamp_start_us_inclusive: int
    """Start of the span in microseconds."""
    timestamp_end_us_inclusive: int
    """End of the span in microseconds."""
    score: float
    """Confidence score for the option over this span: the mean of its per-frame scores."""


def _tuple_of_scored_timestamp_range(items: Iterable[ScoredTimestampRange]) -> tuple[ScoredTimestampRange, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True, repr=False)
class BboxObservation(BboxObservationMethods):
    """A bounding box and the confidence of the detection that produced it."""

    normalized_bbox: NormalizedBbox
    """The bounding box (normalized coordinates)."""
    bbox_score: float
    """Confidence score for the bounding box."""


@attrs.frozen(kw_only=True, repr=False)
class VideoBboxObservation(Value):
    """One sampled frame of a track; `observation` is None (null) on a gap frame."""

    timestamp_microseconds: int
    """Timestamp of the observation in microseconds."""
    observation: BboxObservation | None
    """The bounding box and its score at this timestamp, or null (None) on a gap frame, where the
    object was present but not detected.
    """


def _tuple_of_video_bbox_observation(items: Iterable[VideoBboxObservation]) -> tuple[VideoBboxObservation, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True, repr=False)
class ImageAttributePrediction(Value):
    """A chosen attribute option for an object in an image, with its score."""

    attribute_id: int
    """Unique identifier for the attribute."""
    attribute_name: str
    """The name of the attribute."""
    option_id: int
    """Unique identifier for the chosen option."""
    option_name: str
    """The name of the chosen option."""
    score: float
    """Confidence score for the chosen option."""


def _tuple_of_image_attribute_prediction(
    items: Iterable[ImageAttributePrediction],
) -> tuple[ImageAttributePrediction, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True, repr=False)
class ImageCategoryPrediction(Value):
    """A predicted category of an object in an image, with its attributes."""

    category_id: int
    """Unique identifier for the category."""
    name: str
    """The name of the category."""
    score: float
    """Confidence score for the category."""
    attributes: tuple[ImageAttributePrediction, ...] = attrs.field(converter=_tuple_of_image_attribute_prediction)
    """Attribute predictions for this category."""


def _tuple_of_image_category_prediction(
    items: Iterable[ImageCategoryPrediction],
) -> tuple[ImageCategoryPrediction, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True, repr=False)
class ImageDetectedObject(ImageDetectedObjectMethods):
    """One detected object in an image: its box and its categories."""

    object_id: int
    """Identifier for the detected object."""
    bbox_observation: BboxObservation
    """The object's bounding box."""
    categories: tuple[ImageCategoryPrediction, ...] = attrs.field(converter=_tuple_of_image_category_prediction)
    """Category and attribute predictions for this object."""


def _tuple_of_image_detected_object(items: Iterable[ImageDetectedObject]) -> tuple[ImageDetectedObject, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True, repr=False)
class VideoAttributePrediction(Value):
    """A chosen attribute option with the scored spans over which it held."""

    attribute_id: int
    """Unique identifier for the attribute."""
    attribute_name: str
    """The name of the attribute."""
    option_id: int
    """Unique identifier for the chosen option."""
    option_name: str
    """The name of the chosen option."""
    timestamp_ranges: tuple[ScoredTimestampRange, ...] = attrs.field(converter=_tuple_of_scored_timestamp_range)
    """The scored spans over which this option was chosen."""


def _tuple_of_video_attribute_prediction(
    items: Iterable[VideoAttributePrediction],
) -> tuple[VideoAttributePrediction, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True, repr=False)
class VideoCategoryPrediction(VideoCategoryPredictionMethods):
    """A predicted category of a tracked object, with its attributes."""

    category_id: int
    """Unique identifier for the category."""
    name: str
    """The name of the category."""
    score: float
    """Confidence score for the category."""
    attributes: tuple[VideoAttributePrediction, ...] = attrs.field(converter=_tuple_of_video_attribute_prediction)
    """Attribute predictions for this category."""


def _tuple_of_video_category_prediction(
    items: Iterable[VideoCategoryPrediction],
) -> tuple[VideoCategoryPrediction, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True, repr=False)
class VideoDetectedObject(VideoDetectedObjectMethods):
    """One object tracked across the video: lifespan, observations, categories."""

    object_id: int
    """Stable identifier for the tracked object."""
    timestamp_ranges: tuple[TimestampRange, ...] = attrs.field(converter=_tuple_of_timestamp_range)
    """The spans over which the object was visible."""
    bbox_observations: tuple[VideoBboxObservation, ...] = attrs.field(converter=_tuple_of_video_bbox_observation)
    """One observation per sampled frame in the object's lifespan; on a gap frame its `observation` is
    null (None).
    """
    categories: tuple[VideoCategoryPrediction, ...] = attrs.field(converter=_tuple_of_video_category_prediction)
    """Category and attribute predictions for this object."""


def _tuple_of_video_detected_object(items: Iterable[VideoDetectedObject]) -> tuple[VideoDetectedObject, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True, repr=False)
class ClassificationPredictImageResponse(ClassificationPredictImageResponseMethods):
    """The result of predicting an image."""

    objects: tuple[ImageDetectedObject, ...] = attrs.field(converter=_tuple_of_image_detected_object)
    """Detected objects and their predictions."""
    prediction_task_uuid: str
    """The unique identifier for the prediction task."""
    original_file_name: str | None
    """The file name of the original media, if provided."""


@attrs.frozen(kw_only=True, repr=False)
class ClassificationPredictVideoResponse(ClassificationPredictVideoResponseMethods):
    """The result of predicting a video."""

    objects: tuple[VideoDetectedObject, ...] = attrs.field(converter=_tuple_of_video_detected_object)
    """Tracked objects and their predictions across the video."""
    frames_per_second: int
    """The number of frames per second that were sampled."""
    frame_timestamps_microseconds: tuple[int, ...] = attrs.field(converter=_tuple_of_int)
    """Every processed frame, sorted, including frames with no detection."""
    prediction_task_uuid: str
    """The unique identifier for the prediction task."""
    original_file_name: str | None
    """The file name of the original media, if provided."""
