"""The public result types, exactly as the documentation names them.

Plain attrs classes: keyword-only, slotted, frozen values. They mirror the
components of the same names in openapi.yaml (a test keeps the two in step).
"""

from __future__ import annotations

import bisect
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


@attrs.frozen(kw_only=True)
class PredictionTaskStatusResponse(_Serializable):
    """The status of a prediction task."""

    prediction_task_uuid: str
    prediction_type: str
    """`"image"` or `"video"`."""
    status: str
    """`"predicted"` when done, `"failed..."` when failed, anything else while running."""


@attrs.frozen(kw_only=True)
class TimestampRange(_Serializable):
    """A contiguous span in microseconds, inclusive on both ends."""

    timestamp_start_us_inclusive: int
    timestamp_end_us_inclusive: int


@attrs.frozen(kw_only=True)
class ScoredTimestampRange(_Serializable):
    """A TimestampRange with the mean score of the chosen option over it."""

    timestamp_start_us_inclusive: int
    timestamp_end_us_inclusive: int
    score: float


@attrs.frozen(kw_only=True)
class BboxObservation(_Serializable):
    """A bounding box and the confidence of the detection that produced it."""

    normalized_bbox: NormalizedBbox
    bbox_score: float

    def to_pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        """The box in pixels of a `width` x `height` picture: (x1, y1, x2, y2),
        rounded to the nearest pixel and clamped to the picture.

        Raises ValueError unless both sizes are positive integers.
        """
        for name, size in (("width", width), ("height", height)):
            if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
                raise ValueError(f"{name} must be a positive integer; got {size!r}")
        x1, y1, x2, y2 = self.normalized_bbox
        return (
            max(0, min(round(x1 * width), width)),
            max(0, min(round(y1 * height), height)),
            max(0, min(round(x2 * width), width)),
            max(0, min(round(y2 * height), height)),
        )


@attrs.frozen(kw_only=True)
class VideoBboxObservation(_Serializable):
    """One sampled frame of a track; `observation` is None on a gap frame."""

    timestamp_microseconds: int
    observation: BboxObservation | None


@attrs.frozen(kw_only=True)
class ImageAttributePrediction(_Serializable):
    """A chosen attribute option for an object in an image, with its score."""

    attribute_id: int
    attribute_name: str
    option_id: int
    option_name: str
    score: float


@attrs.frozen(kw_only=True)
class ImageCategoryPrediction(_Serializable):
    """A predicted category of an object in an image, with its attributes."""

    category_id: int
    name: str
    score: float
    attributes: list[ImageAttributePrediction]


@attrs.frozen(kw_only=True)
class ImageDetectedObject(_Serializable):
    """One detected object in an image: its box and its categories."""

    object_id: int
    bbox_observation: BboxObservation
    categories: list[ImageCategoryPrediction]

    def top_category(self) -> ImageCategoryPrediction | None:
        """The category with the highest score, or None if there are none."""
        return max(self.categories, key=lambda category: category.score, default=None)


@attrs.frozen(kw_only=True)
class VideoAttributePrediction(_Serializable):
    """A chosen attribute option with the scored spans over which it held."""

    attribute_id: int
    attribute_name: str
    option_id: int
    option_name: str
    timestamp_ranges: list[ScoredTimestampRange]


@attrs.frozen(kw_only=True)
class VideoCategoryPrediction(_Serializable):
    """A predicted category of a tracked object, with its attributes."""

    category_id: int
    name: str
    score: float
    attributes: list[VideoAttributePrediction]

    def attribute_at(self, attribute: int | str, timestamp_us: int) -> VideoAttributePrediction | None:
        """The option of `attribute` (its id, or its name) in force at `timestamp_us`:
        the prediction one of whose ranges covers that time, or None where none does.

        Ranges start and end on sampled frames, so pass a frame's timestamp (see
        `ClassificationPredictVideoResponse.nearest_frame`). Should two options
        cover the same time, the one with the higher score there wins.
        """
        best: VideoAttributePrediction | None = None
        best_score = 0.0
        for prediction in self.attributes:
            key = prediction.attribute_name if isinstance(attribute, str) else prediction.attribute_id
            if key != attribute:
                continue
            for span in prediction.timestamp_ranges:
                covers = span.timestamp_start_us_inclusive <= timestamp_us <= span.timestamp_end_us_inclusive
                if covers and (best is None or span.score > best_score):
                    best, best_score = prediction, span.score
        return best


@attrs.frozen(kw_only=True)
class VideoDetectedObject(_Serializable):
    """One object tracked across the video: lifespan, observations, categories."""

    object_id: int
    timestamp_ranges: list[TimestampRange]
    bbox_observations: list[VideoBboxObservation]
    categories: list[VideoCategoryPrediction]

    def is_on_screen(self, timestamp_us: int) -> bool:
        """Whether one of the object's timestamp ranges covers `timestamp_us`."""
        return any(
            span.timestamp_start_us_inclusive <= timestamp_us <= span.timestamp_end_us_inclusive
            for span in self.timestamp_ranges
        )

    def observation_at(self, timestamp_us: int) -> BboxObservation | None:
        """The object's box at `timestamp_us`, or None when it has none then.

        None when no timestamp range covers the time (the object is off
        screen), or when the object's sampled frame nearest to it (ties to the
        earlier) is a gap frame. Pass a frame's timestamp (see
        `ClassificationPredictVideoResponse.nearest_frame`) for exact lookups.
        """
        if not self.is_on_screen(timestamp_us) or not self.bbox_observations:
            return None
        nearest = min(
            self.bbox_observations,
            key=lambda seen: (abs(seen.timestamp_microseconds - timestamp_us), seen.timestamp_microseconds),
        )
        return nearest.observation

    def top_category(self) -> VideoCategoryPrediction | None:
        """The category with the highest score, or None if there are none."""
        return max(self.categories, key=lambda category: category.score, default=None)


@attrs.frozen(kw_only=True)
class ClassificationPredictImageResponse(_Serializable):
    """The result of predicting an image."""

    objects: list[ImageDetectedObject]
    prediction_task_uuid: str
    original_file_name: str | None


@attrs.frozen(kw_only=True)
class ClassificationPredictVideoResponse(_Serializable):
    """The result of predicting a video."""

    objects: list[VideoDetectedObject]
    frames_per_second: int
    frame_timestamps_microseconds: list[int]
    """Every processed frame, sorted, including frames with no detection."""
    prediction_task_uuid: str
    original_file_name: str | None

    def nearest_frame(self, timestamp_us: int) -> int:
        """The processed frame's timestamp nearest to `timestamp_us` (a tie goes
        to the earlier frame); times before the first or after the last frame
        snap to it.

        Raises ValueError when the response has no frames.
        """
        frames = self.frame_timestamps_microseconds
        if not frames:
            raise ValueError("the response has no frame timestamps to snap to")
        index = bisect.bisect_left(frames, timestamp_us)
        if index == 0:
            return frames[0]
        if index == len(frames):
            return frames[-1]
        before, after = frames[index - 1], frames[index]
        return before if timestamp_us - before <= after - timestamp_us else after

    def objects_at(self, timestamp_us: int) -> list[tuple[VideoDetectedObject, BboxObservation | None]]:
        """The objects on screen at the frame nearest to `timestamp_us`, each with
        its box at that frame, or None on a gap frame.

        Raises ValueError when the response has no frames.
        """
        frame = self.nearest_frame(timestamp_us)
        return [(obj, obj.observation_at(frame)) for obj in self.objects if obj.is_on_screen(frame)]
