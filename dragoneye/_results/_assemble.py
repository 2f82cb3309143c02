"""Assembling the public result objects from the flat columns.

Every nested list is read once as flat columns plus offsets, and the objects
are assembled by slicing, which is much faster than converting row by row.
Images and videos share the category builder; they differ in what an
attribute carries (a score, or scored timestamp ranges) and in the boxes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from itertools import pairwise, repeat
from typing import Any, TypeVar, cast

import attrs

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
from ._columns import CategoryColumns, Predictions
from ._diagnostics import Unavailable, row_of

__all__ = ["Checkpoint", "image_objects", "no_checkpoint", "video_objects"]

Checkpoint = Callable[[], None]
"""Called between the steps of long work (decoding results here, building them in
the emulator); raises to stop it."""

_Category = TypeVar("_Category", ImageCategoryPrediction, VideoCategoryPrediction)
_Value = TypeVar("_Value")
_RANGES = "categories[].attributes[].timestamp_ranges[]"


def no_checkpoint() -> None:
    """Run to the end."""


def video_objects(predictions: Predictions, checkpoint: Checkpoint = no_checkpoint) -> list[VideoDetectedObject]:
    """The tracked objects of a video, one per row."""
    p = predictions
    range_offsets, ranges = p.flatten("timestamp_ranges", p.columns["timestamp_ranges"], [])
    starts = p.values(ranges, "timestamp_start_us_inclusive", "timestamp_ranges[]", [range_offsets])
    ends = p.values(ranges, "timestamp_end_us_inclusive", "timestamp_ranges[]", [range_offsets])
    new_span = TimestampRange
    spans = [
        new_span(timestamp_start_us_inclusive=start, timestamp_end_us_inclusive=end)
        for start, end in zip(starts, ends, strict=True)
    ]
    obs_offsets, observations = p.flatten("bbox_observations", p.columns["bbox_observations"], [])
    chain = [obs_offsets]
    timestamps = p.values(observations, "timestamp_microseconds", "bbox_observations[]", chain)
    boxes, scores = p.boxes(observations, chain)
    checkpoint()
    sightings = _built(VideoBboxObservation, timestamp_microseconds=timestamps, observation=_sightings(boxes, scores))
    checkpoint()
    cat_offsets, categories = _categories(p, VideoCategoryPrediction, VideoAttributePrediction, _scored_ranges)
    checkpoint()
    new_object = VideoDetectedObject
    return [
        new_object(
            object_id=object_id,
            timestamp_ranges=spans[r0:r1],
            bbox_observations=sightings[o0:o1],
            categories=categories[c0:c1],
        )
        for object_id, r0, r1, o0, o1, c0, c1 in zip(
            p.object_ids,
            range_offsets,
            range_offsets[1:],
            obs_offsets,
            obs_offsets[1:],
            cat_offsets,
            cat_offsets[1:],
            strict=False,
        )
    ]


def image_objects(predictions: Predictions, checkpoint: Checkpoint = no_checkpoint) -> list[ImageDetectedObject]:
    """The detected objects of an image, one per row, each with exactly one box."""
    p = predictions
    obs_offsets, observations = p.flatten("bbox_observations", p.columns["bbox_observations"], [])
    for row, (start, end) in enumerate(pairwise(obs_offsets)):
        if end - start != 1:
            raise Unavailable(
                f"{p.MEMBER}: the image object in row {row} has {end - start} bbox observations, not exactly one"
            )
    boxes, maybe_scores = p.boxes(observations, [obs_offsets])
    for row, score in enumerate(maybe_scores):
        if score is None:
            raise Unavailable(f"{p.MEMBER}: the image object in row {row} has a gap frame (a null bbox)")
    scores = cast(list[float], maybe_scores)  # no None, as just checked
    checkpoint()
    cat_offsets, categories = _categories(p, ImageCategoryPrediction, ImageAttributePrediction, _single_scores)
    checkpoint()
    new_object, new_box = ImageDetectedObject, BboxObservation
    return [
        new_object(
            object_id=object_id,
            bbox_observation=new_box(normalized_bbox=box, bbox_score=score),
            categories=categories[c0:c1],
        )
        for object_id, box, score, c0, c1 in zip(
            p.object_ids, boxes, scores, cat_offsets, cat_offsets[1:], strict=False
        )
    ]


def _sightings(boxes: list[Any], scores: list[float | None]) -> list[BboxObservation | None]:
    """Each sighting's observation: a BboxObservation, or None on a gap frame (a null score)."""
    seen = [index for index, score in enumerate(scores) if score is not None]
    if len(seen) == len(scores):
        return list(_built(BboxObservation, normalized_bbox=boxes, bbox_score=scores))
    found = _built(BboxObservation, normalized_bbox=[boxes[i] for i in seen], bbox_score=[scores[i] for i in seen])
    observations: list[BboxObservation | None] = [None] * len(scores)
    deque(map(observations.__setitem__, seen, found), maxlen=0)
    return observations


def _built(cls: type[_Value], **columns: Sequence[Any]) -> list[_Value]:
    """Instances of the frozen, slotted attrs class `cls`, built a column at a time.

    Each field's slot is set on every instance at once, in C, instead of
    calling `__init__` per instance, whose keyword handling is most of the
    time of decoding a long video. So every field must be given, and none may
    have a converter or a validator: `__init__` would have had work to do.
    """
    fields = attrs.fields(cls)  # type: ignore[arg-type]  # any attrs class
    if {field.name for field in fields} != set(columns) or any(f.converter or f.validator for f in fields):
        raise TypeError(f"{cls.__name__} cannot be built column by column")
    (count,) = {len(values) for values in columns.values()}
    objects = list(map(object.__new__, repeat(cls, count)))
    for name, values in columns.items():
        deque(map(getattr(cls, name).__set__, objects, values), maxlen=0)
    return objects


def _categories(
    predictions: Predictions,
    new_category: type[_Category],
    new_attribute: Callable[..., Any],
    tails: Callable[[Predictions, CategoryColumns], tuple[str, list[Any]]],
) -> tuple[list[int], list[_Category]]:
    """Row offsets into the flat list of categories, and that list.

    `tails` gives the name and the values of the field that ends each
    attribute: what differs between images and videos. (Categories and
    attributes are few next to boxes: keyword unpacking costs nothing here.)
    """
    columns = predictions.category_columns()
    field, values = tails(predictions, columns)
    attributes: list[Any] = [
        new_attribute(
            attribute_id=attribute_id,
            attribute_name=attribute_name,
            option_id=option_id,
            option_name=option_name,
            **{field: value},
        )
        for (attribute_id, attribute_name, option_id, option_name), value in zip(
            columns.identities, values, strict=True
        )
    ]
    categories = [
        new_category(category_id=category_id, name=name, score=score, attributes=attributes[a0:a1])
        for category_id, name, score, a0, a1 in zip(
            columns.ids, columns.names, columns.scores, columns.attr_offsets, columns.attr_offsets[1:], strict=False
        )
    ]
    return columns.cat_offsets, categories


def _scored_ranges(predictions: Predictions, columns: CategoryColumns) -> tuple[str, list[Any]]:
    """A video attribute ends with the scored timestamp ranges over which its option held."""
    chain = [columns.cat_offsets, columns.attr_offsets, columns.range_offsets]
    new_range = ScoredTimestampRange
    scored = [
        new_range(timestamp_start_us_inclusive=start, timestamp_end_us_inclusive=end, score=score)
        for start, end, score in zip(
            predictions.values(columns.ranges, "timestamp_start_us_inclusive", _RANGES, chain),
            predictions.values(columns.ranges, "timestamp_end_us_inclusive", _RANGES, chain),
            predictions.values(columns.ranges, "score", _RANGES, chain),
            strict=True,
        )
    ]
    offsets = columns.range_offsets
    return "timestamp_ranges", [scored[r0:r1] for r0, r1 in pairwise(offsets)]


def _single_scores(predictions: Predictions, columns: CategoryColumns) -> tuple[str, list[Any]]:
    """An image attribute ends with its score: the one timestamp range it has must carry it."""
    for index, (start, end) in enumerate(pairwise(columns.range_offsets)):
        if end - start != 1:
            row = row_of(index, [columns.cat_offsets, columns.attr_offsets])
            raise Unavailable(
                f"{predictions.MEMBER}: an attribute of the image object in row {row} has {end - start}"
                " timestamp ranges, not exactly one"
            )
    chain = [columns.cat_offsets, columns.attr_offsets, columns.range_offsets]
    return "score", predictions.values(columns.ranges, "score", _RANGES, chain)
