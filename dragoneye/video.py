"""Helpers for reading video results: track summaries and attribute timelines.

The lookups by time live on the response types themselves:
`ClassificationPredictVideoResponse.nearest_frame` / `.objects_at`,
`VideoDetectedObject.observation_at` and `VideoCategoryPrediction.attribute_at`.
"""

from __future__ import annotations

import attrs

from .models import (
    ScoredTimestampRange,
    VideoAttributePrediction,
    VideoCategoryPrediction,
    VideoDetectedObject,
)

__all__ = [
    "AttributeSpan",
    "TrackSummary",
    "attribute_timeline",
    "format_timestamp",
    "gap_frame_timestamps",
    "summarize_track",
]


@attrs.frozen(kw_only=True)
class TrackSummary:
    """One tracked object at a glance."""

    object_id: int
    category: str | None
    """The name of its top category (None if it has none)."""
    score: float | None
    """The top category's score."""
    start_us: int | None
    """When it first came on screen (None if it has no timestamp ranges)."""
    end_us: int | None
    """When it was last on screen."""
    spans: list[tuple[int, int]]
    """Its timestamp ranges as (start, end) pairs, in order."""
    frames_seen: int
    """Sampled frames with a box."""
    gap_frames: int
    """Sampled frames in its lifespan without a box."""


@attrs.frozen(kw_only=True)
class AttributeSpan:
    """One option of an attribute over one scored span of time."""

    option_name: str
    option_id: int
    start_us: int
    end_us: int
    score: float


def summarize_track(obj: VideoDetectedObject) -> TrackSummary:
    """Summarize a tracked object: its top category, time span, frames seen and gap frames."""
    top = obj.top_category()
    spans = sorted(
        (span.timestamp_start_us_inclusive, span.timestamp_end_us_inclusive) for span in obj.timestamp_ranges
    )
    gaps = sum(1 for seen in obj.bbox_observations if seen.observation is None)
    return TrackSummary(
        object_id=obj.object_id,
        category=top.name if top is not None else None,
        score=top.score if top is not None else None,
        start_us=spans[0][0] if spans else None,
        end_us=max(end for _, end in spans) if spans else None,
        spans=spans,
        frames_seen=len(obj.bbox_observations) - gaps,
        gap_frames=gaps,
    )


def gap_frame_timestamps(obj: VideoDetectedObject) -> list[int]:
    """The sorted timestamps of the object's gap frames (on screen, no box)."""
    return sorted(seen.timestamp_microseconds for seen in obj.bbox_observations if seen.observation is None)


def attribute_timeline(category: VideoCategoryPrediction) -> dict[str, list[AttributeSpan]]:
    """Each attribute's options over time: attribute name -> spans sorted by start.

    An attribute whose answer changes (a light going green to red) has one
    span per option per stretch of time.
    """
    timeline: dict[str, list[AttributeSpan]] = {}
    for prediction in category.attributes:
        spans = timeline.setdefault(prediction.attribute_name, [])
        spans.extend(_span(prediction, scored) for scored in prediction.timestamp_ranges)
    for spans in timeline.values():
        spans.sort(key=lambda span: (span.start_us, span.end_us))
    return timeline


def format_timestamp(timestamp_us: int) -> str:
    """Microseconds as seconds for people: 1_500_000 -> "1.5s", 61_000_000 -> "1:01s"."""
    seconds = timestamp_us / 1_000_000
    if abs(seconds) < 60:
        return f"{seconds:.3f}".rstrip("0").rstrip(".") + "s"
    minutes, rest = divmod(seconds, 60)
    text = f"{rest:06.3f}".rstrip("0").rstrip(".")
    return f"{int(minutes)}:{text.zfill(2)}s"


def _span(prediction: VideoAttributePrediction, scored: ScoredTimestampRange) -> AttributeSpan:
    return AttributeSpan(
        option_name=prediction.option_name,
        option_id=prediction.option_id,
        start_us=scored.timestamp_start_us_inclusive,
        end_us=scored.timestamp_end_us_inclusive,
        score=scored.score,
    )
