"""The hand-written methods of the public types.

dragoneye/models.py is generated from openapi.yaml; each class there inherits
from one class here, as generator/models.yaml names it. To give a public type
a method, add it to its class here (create the class, derived from `Value`,
and name it in generator/models.yaml if the type has none yet).
The attributes a class reads are declared under TYPE_CHECKING: the generated
subclass defines them.
"""

from __future__ import annotations

import bisect
import functools
import types
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Any, Self, Union, get_args, get_origin

import attrs

from ._tables import Tabular

if TYPE_CHECKING:
    from .models import (
        BboxObservation,
        ImageCategoryPrediction,
        NormalizedBbox,
        TimestampRange,
        VideoAttributePrediction,
        VideoBboxObservation,
        VideoCategoryPrediction,
        VideoDetectedObject,
    )

# A repr shows at most this many items of a tuple, and this many characters of a string.
REPR_ITEMS = 5
REPR_CHARS = 200

__all__ = [
    "BboxObservationMethods",
    "ClassificationPredictImageResponseMethods",
    "ClassificationPredictVideoResponseMethods",
    "ImageDetectedObjectMethods",
    "Value",
    "VideoCategoryPredictionMethods",
    "VideoDetectedObjectMethods",
]


class Value:
    """What every public type can do: convert to and from JSON-ready data, and show itself briefly."""

    __slots__ = ()

    def __repr__(self) -> str:
        """attrs' repr, except that a long tuple shows its first items and how many more,
        and a long string its start and length: a video's result holds a million values."""
        fields = ", ".join(
            f"{field.name}={_brief(getattr(self, field.name))}"
            for field in attrs.fields(type(self))  # type: ignore[arg-type]
        )
        return f"{type(self).__name__}({fields})"

    def to_dict(self) -> dict[str, Any]:
        """This value as plain JSON-ready data (tuples become lists)."""
        return attrs.asdict(self, value_serializer=_tuples_as_lists)  # type: ignore[arg-type]

    def model_dump(self) -> dict[str, Any]:
        """The same as `to_dict()`; the name the official client's models use."""
        return self.to_dict()

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """A value from JSON-ready data, as `to_dict()` or the API gives it.

        Keys the type does not know are ignored; a missing optional field is
        None. Raises ValueError naming the first value of the wrong shape.
        """
        annotation: Any = cls
        value: Self = _decoder(annotation)(data, cls.__name__)
        return value


def _tuples_as_lists(_instance: Any, _field: Any, value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


# ---- from_dict: a decoder per type, built once from the attrs fields ----

_Decoder = Callable[[object, str], Any]


@functools.cache
def _decoder(annotation: Any) -> _Decoder:
    """A function decoding JSON data of type `annotation`, naming the path of a bad value."""
    if attrs.has(annotation):
        return _class_decoder(annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (types.UnionType, Union):
        (inner,) = (arg for arg in args if arg is not type(None))
        return _nullable(_decoder(inner))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _sequence(_decoder(args[0]))
        return _fixed_sequence([_decoder(arg) for arg in args])
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _enum(annotation)
    if annotation in (int, float, str, bool):
        return _scalar(annotation)
    raise TypeError(f"no JSON decoder for {annotation!r}")


def _class_decoder(cls: type[Any]) -> _Decoder:
    plan = [(f.name, f.default is attrs.NOTHING) for f in attrs.fields(cls)]
    decoders = {f.name: _decoder(f.type) for f in attrs.fields(cls)}

    def decode(data: object, path: str) -> Any:
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected an object, got {_kind(data)}")
        kwargs = {}
        for name, required in plan:
            if name in data:
                kwargs[name] = decoders[name](data[name], f"{path}.{name}")
            elif required:
                raise ValueError(f"{path}: lacks {name!r}")
        return cls(**kwargs)

    return decode


def _nullable(inner: _Decoder) -> _Decoder:
    return lambda data, path: None if data is None else inner(data, path)


def _sequence(item: _Decoder) -> _Decoder:
    def decode(data: object, path: str) -> tuple[Any, ...]:
        if not isinstance(data, list | tuple):
            raise ValueError(f"{path}: expected an array, got {_kind(data)}")
        return tuple(item(value, f"{path}[{index}]") for index, value in enumerate(data))

    return decode


def _fixed_sequence(items: list[_Decoder]) -> _Decoder:
    def decode(data: object, path: str) -> tuple[Any, ...]:
        if not isinstance(data, list | tuple) or len(data) != len(items):
            raise ValueError(f"{path}: expected an array of {len(items)} items, got {_kind(data)}")
        return tuple(
            item(value, f"{path}[{index}]") for index, (item, value) in enumerate(zip(items, data, strict=True))
        )

    return decode


def _enum(enum: type[Enum]) -> _Decoder:
    def decode(data: object, path: str) -> Enum:
        try:
            return enum(data)
        except ValueError:
            allowed = ", ".join(repr(member.value) for member in enum)
            raise ValueError(f"{path}: {_kind(data)} is not one of {allowed}") from None

    return decode


def _scalar(kind: type[Any]) -> _Decoder:
    # JSON has one number type: an integer is a valid float, a bool is neither.
    accepted = (int, float) if kind is float else (kind,)

    def decode(data: object, path: str) -> Any:
        if isinstance(data, bool) is not (kind is bool) or not isinstance(data, accepted):
            raise ValueError(f"{path}: expected {kind.__name__}, got {_kind(data)}")
        return kind(data) if kind is float else data

    return decode


def _kind(data: object) -> str:
    text = repr(data)
    return f"{type(data).__name__} {text if len(text) <= 80 else text[:80] + '...'}"


# ---- the methods of individual types ----


class BboxObservationMethods(Value):
    __slots__ = ()
    if TYPE_CHECKING:
        normalized_bbox: NormalizedBbox

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


class ImageDetectedObjectMethods(Value):
    __slots__ = ()
    if TYPE_CHECKING:
        categories: tuple[ImageCategoryPrediction, ...]

    def top_category(self) -> ImageCategoryPrediction | None:
        """The category with the highest score, or None if there are none."""
        return max(self.categories, key=lambda category: category.score, default=None)


class VideoCategoryPredictionMethods(Value):
    __slots__ = ()
    if TYPE_CHECKING:
        attributes: tuple[VideoAttributePrediction, ...]

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


class VideoDetectedObjectMethods(Value):
    __slots__ = ()
    if TYPE_CHECKING:
        timestamp_ranges: tuple[TimestampRange, ...]
        bbox_observations: tuple[VideoBboxObservation, ...]
        categories: tuple[VideoCategoryPrediction, ...]

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


class ClassificationPredictImageResponseMethods(Value, Tabular):
    """to_arrow(), to_pandas() and to_polars() (dragoneye/_tables.py)."""

    __slots__ = ()


class ClassificationPredictVideoResponseMethods(Value, Tabular):
    __slots__ = ()
    if TYPE_CHECKING:
        objects: tuple[VideoDetectedObject, ...]
        frame_timestamps_microseconds: tuple[int, ...]

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


def _brief(value: Any) -> str:
    if isinstance(value, tuple) and len(value) > REPR_ITEMS + 1:
        shown = ", ".join(repr(item) for item in value[:REPR_ITEMS])
        return f"({shown}, ... {len(value) - REPR_ITEMS:,} more)"
    if isinstance(value, str) and len(value) > REPR_CHARS:
        return f"{value[:REPR_CHARS]!r}... ({len(value):,} characters)"
    return repr(value)
