"""How results look on stdout: readable text, or JSON Lines with --json."""

from __future__ import annotations

import json
from typing import Any

from ..models import (
    ClassificationPredictImageResponse,
    ClassificationPredictVideoResponse,
    ImageCategoryPrediction,
    PredictionTaskStatusResponse,
    VideoCategoryPrediction,
)
from ..video import attribute_timeline, format_timestamp, summarize_track
from ._escape import json_safe, printable

TOP_ATTRIBUTES = 3
"""Attributes shown per object in readable output (the highest scoring)."""


def to_json_line(value: Any) -> str:
    """One response as a single line of JSON (its `to_dict()`)."""
    return json_safe(json.dumps(value.to_dict(), separators=(",", ":"), ensure_ascii=False))


def failure_json_line(file: str, error: BaseException, hidden: list[str]) -> str:
    """A failed input as one line of JSON: `{"file", "ok": false, "error": {"type", "status_code", "detail"}}`.

    `detail` is the server's explanation where there was one, else the error's
    message; any of `hidden` (the API key) is masked.
    """
    detail = getattr(error, "detail", None) or str(error) or None
    message = str(error)
    for secret in hidden:
        detail = detail.replace(secret, "***") if detail else detail
        message = message.replace(secret, "***")
    document = {
        "file": file,
        "ok": False,
        "error": {
            "type": type(error).__name__,
            "status_code": getattr(error, "status_code", None),
            "detail": detail,
            "message": message,
        },
    }
    return json_safe(json.dumps(document, separators=(",", ":"), ensure_ascii=False))


def format_status(status: PredictionTaskStatusResponse) -> str:
    """A task's status in one line."""
    return printable(f"{status.prediction_task_uuid}  {status.prediction_type}  {status.status}")


def format_image(result: ClassificationPredictImageResponse, label: str | None = None) -> str:
    """Each object's top category and score, its box, and its top attributes."""
    name = printable(label or result.original_file_name or "image")
    task = printable(result.prediction_task_uuid)
    lines = [f"{name}: image, {_count(len(result.objects), 'object')} (task {task})"]
    for number, obj in enumerate(result.objects, 1):
        box = obj.bbox_observation
        coords = ", ".join(f"{value:.3f}" for value in box.normalized_bbox)
        lines.append(f"  {number}. {_category(obj.top_category())}  box ({coords}), box score {box.bbox_score:.2f}")
        lines += _image_attributes(obj.top_category())
    return "\n".join(lines)


def format_video(result: ClassificationPredictVideoResponse, label: str | None = None) -> str:
    """A summary per track: top category, time on screen, frames seen and gap frames."""
    name = printable(label or result.original_file_name or "video")
    frames = result.frame_timestamps_microseconds
    span = f", {_span(frames[0], frames[-1])}" if frames else ""
    lines = [
        f"{name}: video, {_count(len(result.objects), 'tracked object')}, "
        f"{_count(len(frames), 'frame')} at {result.frames_per_second} fps{span} "
        f"(task {printable(result.prediction_task_uuid)})"
    ]
    for number, obj in enumerate(result.objects, 1):
        track = summarize_track(obj)
        spans = ", ".join(_span(start, end) for start, end in track.spans)
        lines.append(
            f"  {number}. {_category(obj.top_category())}  on screen {spans or 'never'}; "
            f"{_count(track.frames_seen, 'frame')} seen, {_count(track.gap_frames, 'gap frame')}"
        )
        lines += _video_attributes(obj.top_category())
    return "\n".join(lines)


def _span(start_us: int, end_us: int) -> str:
    if start_us == end_us:
        return format_timestamp(start_us)
    return f"{format_timestamp(start_us)}-{format_timestamp(end_us)}"


def _category(category: ImageCategoryPrediction | VideoCategoryPrediction | None) -> str:
    return "(no category)" if category is None else f"{printable(category.name)} {category.score:.2f}"


def _image_attributes(category: ImageCategoryPrediction | None) -> list[str]:
    if category is None:
        return []
    ranked = sorted(category.attributes, key=lambda attribute: attribute.score, reverse=True)
    lines = [
        f"       {printable(attribute.attribute_name)}: {printable(attribute.option_name)} {attribute.score:.2f}"
        for attribute in ranked[:TOP_ATTRIBUTES]
    ]
    return lines + _more(len(ranked))


def _video_attributes(category: VideoCategoryPrediction | None) -> list[str]:
    if category is None:
        return []
    timeline = attribute_timeline(category)
    ranked = sorted(timeline.items(), key=lambda item: max((span.score for span in item[1]), default=0.0), reverse=True)
    lines = []
    for attribute_name, spans in ranked[:TOP_ATTRIBUTES]:
        options = " -> ".join(
            f"{printable(span.option_name)} {span.score:.2f} ({_span(span.start_us, span.end_us)})" for span in spans
        )
        lines.append(f"       {printable(attribute_name)}: {options}")
    return lines + _more(len(ranked))


def _more(count: int) -> list[str]:
    hidden = count - TOP_ATTRIBUTES
    return [f"       ... {_count(hidden, 'more attribute')} (see --json)"] if hidden > 0 else []


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
