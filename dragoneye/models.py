"""The public result types, exactly as the documentation names them.

Plain attrs classes: keyword-only, slotted, frozen values. They mirror the
components of the same names in openapi.yaml (a test keeps the two in step).
"""

from __future__ import annotations

from typing import Any

import attrs

from .types.common import NormalizedBbox

__all__ = [
    "BboxObservation",
    "ClassificationPredictImageResponse",
    "ClassificationPredictVideoResponse",
    "ImageAttributePrediction",
    "ImageCategoryPrediction",
    "ImageDetectedObject",
    "NormalizedBbox",
    "PredictionTaskStatusResponse",
    "ScoredTimestampRange",
    "TimestampRange",
    "VideoAttributePrediction",
    "VideoBboxObservation",
    "VideoCategoryPrediction",
    "VideoDetectedObject",
]

_model = attrs.frozen(kw_only=True, cache_hash=False, eq=True, hash=False)


class _Serializable:
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """This value as plain JSON-ready data (boxes become lists)."""
        return attrs.asdict(self, value_serializer=_tuples_as_lists)  # type: ignore[arg-type]

    def model_dump(self) -> dict[str, Any]:
        """The same as `to_dict()`; the name the official client's models use."""
        return self.to_dict()


def _tuples_as_lists(_instance: Any, _field: Any, value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


@_model
class PredictionTaskStatusResponse(_Serializable):
    """The status of a prediction task."""

    prediction_task_uuid: str
    prediction_type: str
    """`"image"` or `"video"`."""
    status: str
    """`"predicted"` when done, `"failed..."` when failed, anything else while running."""


@_model
class TimestampRange(_Serializable):
    """A contiguous span in microseconds, inclusive on both ends."""

    timestamp_start_us_inclusive: int
    timestamp_end_us_inclusive: int


@_model
class ScoredTimestampRange(_Serializable):
    """A TimestampRange with the mean score of the chosen option over it."""

    timestamp_start_us_inclusive: int
    timestamp_end_us_inclusive: int
    score: float


@_model
class BboxObservation(_Serializable):
    """A bounding box and the confidence of the detection that produced it."""

    normalized_bbox: NormalizedBbox
    bbox_score: float


@_model
class VideoBboxObservation(_Serializable):
    """One sampled frame of a track; `observation` is None on a gap frame."""

    timestamp_microseconds: int
    observation: BboxObservation | None


@_model
class ImageAttributePrediction(_Serializable):
    """A chosen attribute option for an object in an image, with its score."""

    attribute_id: int
    attribute_name: str
    option_id: int
    option_name: str
    score: float


@_model
class ImageCategoryPrediction(_Serializable):
    """A predicted category of an object in an image, with its attributes."""

    category_id: int
    name: str
    score: float
    attributes: list[ImageAttributePrediction]


@_model
class ImageDetectedObject(_Serializable):
    """One detected object in an image: its box and its categories."""

    object_id: int
    bbox_observation: BboxObservation
    categories: list[ImageCategoryPrediction]


@_model
class VideoAttributePrediction(_Serializable):
    """A chosen attribute option with the scored spans over which it held."""

    attribute_id: int
    attribute_name: str
    option_id: int
    option_name: str
    timestamp_ranges: list[ScoredTimestampRange]


@_model
class VideoCategoryPrediction(_Serializable):
    """A predicted category of a tracked object, with its attributes."""

    category_id: int
    name: str
    score: float
    attributes: list[VideoAttributePrediction]


@_model
class VideoDetectedObject(_Serializable):
    """One object tracked across the video: lifespan, observations, categories."""

    object_id: int
    timestamp_ranges: list[TimestampRange]
    bbox_observations: list[VideoBboxObservation]
    categories: list[VideoCategoryPrediction]


@_model
class ClassificationPredictImageResponse(_Serializable):
    """The result of predicting an image."""

    objects: list[ImageDetectedObject]
    prediction_task_uuid: str
    original_file_name: str | None


@_model
class ClassificationPredictVideoResponse(_Serializable):
    """The result of predicting a video."""

    objects: list[VideoDetectedObject]
    frames_per_second: int
    frame_timestamps_microseconds: list[int]
    """Every processed frame, sorted, including frames with no detection."""
    prediction_task_uuid: str
    original_file_name: str | None
