"""Pictures of results with Pillow (imported only when drawing): boxes on an
image, and a timeline chart of a video's tracks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..models import ClassificationPredictImageResponse, ClassificationPredictVideoResponse
from ..video import format_timestamp, gap_frame_timestamps, summarize_track
from ._common import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    _Font = ImageFont.ImageFont | ImageFont.FreeTypeFont
    _X = Callable[[int], int]

PILLOW_HINT = 'drawing needs Pillow: pip install "dragoneye-python[draw]"'

_PALETTE = [
    (230, 25, 75),
    (60, 180, 75),
    (0, 130, 200),
    (245, 130, 48),
    (145, 30, 180),
    (70, 240, 240),
    (240, 50, 230),
    (210, 245, 60),
    (0, 128, 128),
    (170, 110, 40),
]

# Timeline chart layout, in pixels.
_CHART_WIDTH = 960
_LABEL_WIDTH = 250
_MARGIN = 16
_HEADER = 44
_ROW = 24
_AXIS = 34
_LEGEND = 30
_MAX_ROWS = 200
_TICK_STEPS_S = (0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600)


def require_pillow() -> None:
    """Raise UsageError with the install hint when Pillow is missing."""
    try:
        import PIL.Image  # noqa: F401
    except ImportError:
        raise UsageError(PILLOW_HINT) from None


def annotate_image(source: Path, result: ClassificationPredictImageResponse, out: Path) -> Path:
    """Write `source` with each object's box, top category and score drawn on it."""
    from PIL import Image, ImageDraw, ImageOps

    with Image.open(source) as opened:
        picture = ImageOps.exif_transpose(opened).convert("RGB")
    draw = ImageDraw.Draw(picture)
    width, height = picture.size
    font = _font(max(12, min(width, height) // 28))
    line = max(2, min(width, height) // 150)
    for number, obj in enumerate(result.objects):
        color = _PALETTE[number % len(_PALETTE)]
        x1, y1, x2, y2 = obj.bbox_observation.to_pixels(width, height)
        draw.rectangle((x1, y1, max(x1, x2 - 1), max(y1, y2 - 1)), outline=color, width=line)
        top = obj.top_category()
        label = f"{top.name} {top.score:.2f}" if top is not None else f"object {obj.object_id}"
        _label(draw, font, label, corner=(x1, y1), color=color, height=height)
    return _save(picture, out)


def draw_timeline(result: ClassificationPredictVideoResponse, out: Path, title: str) -> Path:
    """Write a chart of the video's tracks: one row per object, a bar for each
    span on screen, gap frames (on screen, no box) hatched."""
    from PIL import Image, ImageDraw

    shown = result.objects[:_MAX_ROWS]
    rows = len(shown) + (1 if len(result.objects) > _MAX_ROWS else 0)
    height = _HEADER + max(rows, 1) * _ROW + _AXIS + _LEGEND + _MARGIN
    chart = Image.new("RGB", (_CHART_WIDTH, height), "white")
    draw = ImageDraw.Draw(chart)
    font = _font(13)
    start, end, frame_us = _time_range(result)
    left, right = _LABEL_WIDTH, _CHART_WIDTH - _MARGIN

    def x(timestamp_us: int) -> int:
        return left + round((timestamp_us - start) / (end - start) * (right - left))

    draw.text((_MARGIN, 12), title, fill="black", font=_font(16))
    for row, obj in enumerate(shown):
        top = _HEADER + row * _ROW
        if row % 2:
            draw.rectangle((0, top, _CHART_WIDTH, top + _ROW - 1), fill=(246, 246, 248))
        color = _PALETTE[row % len(_PALETTE)]
        track = summarize_track(obj)
        label = f"#{obj.object_id} {track.category or '(no category)'}"
        draw.text((_MARGIN, top + 5), _fit(draw, font, label, _LABEL_WIDTH - 2 * _MARGIN), fill="black", font=font)
        for span_start, span_end in track.spans:
            draw.rectangle(
                (x(span_start), top + 4, max(x(span_start), x(span_end + frame_us) - 1), top + _ROW - 5), fill=color
            )
        for gap in gap_frame_timestamps(obj):
            _hatch(draw, (x(gap), top + 4, max(x(gap), x(gap + frame_us) - 1), top + _ROW - 5), color)
    if len(result.objects) > _MAX_ROWS:
        more = len(result.objects) - _MAX_ROWS
        draw.text((_MARGIN, _HEADER + len(shown) * _ROW + 5), f"... {more} more objects", fill="gray", font=font)
    axis_top = _HEADER + max(rows, 1) * _ROW + 4
    _axis(draw, font, axis_top, start=start, end=end, x=x)
    _legend(draw, font, axis_top + _AXIS)
    return _save(chart, out)


def _time_range(result: ClassificationPredictVideoResponse) -> tuple[int, int, int]:
    """The chart's start and end (microseconds) and the duration of one frame."""
    frame_us = 1_000_000 // max(1, result.frames_per_second)
    times = list(result.frame_timestamps_microseconds)
    for obj in result.objects:
        for span in obj.timestamp_ranges:
            times += [span.timestamp_start_us_inclusive, span.timestamp_end_us_inclusive]
    if not times:
        return 0, frame_us, frame_us
    return min(times), max(times) + frame_us, frame_us


def _axis(draw: ImageDraw.ImageDraw, font: _Font, top: int, *, start: int, end: int, x: _X) -> None:
    draw.line((_LABEL_WIDTH, top, _CHART_WIDTH - _MARGIN, top), fill="black")
    span_s = (end - start) / 1_000_000
    step_s = next((step for step in _TICK_STEPS_S if span_s / step <= 10), _TICK_STEPS_S[-1])
    step_us = round(step_s * 1_000_000)
    tick = -(-start // step_us) * step_us
    while tick <= end:
        draw.line((x(tick), top, x(tick), top + 5), fill="black")
        draw.text((x(tick) - 8, top + 8), format_timestamp(tick), fill="black", font=font)
        tick += step_us


def _legend(draw: ImageDraw.ImageDraw, font: _Font, top: int) -> None:
    draw.rectangle((_LABEL_WIDTH, top + 4, _LABEL_WIDTH + 24, top + 16), fill=_PALETTE[2])
    draw.text((_LABEL_WIDTH + 30, top + 2), "on screen", fill="black", font=font)
    _hatch(draw, (_LABEL_WIDTH + 130, top + 4, _LABEL_WIDTH + 154, top + 16), _PALETTE[2])
    draw.text((_LABEL_WIDTH + 160, top + 2), "gap frame (on screen, no box)", fill="black", font=font)


def _hatch(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], color: tuple[int, int, int]) -> None:
    """A white cell with diagonal stripes: a frame the object spans without a box."""
    x1, y1, x2, y2 = box
    draw.rectangle(box, fill="white", outline=color)
    rise = y2 - y1
    for start in range(x1 - rise, x2 + 1, 4):
        # The stripe runs from (start, y2) up to (start + rise, y1), clipped to the cell.
        low, high = max(0, x1 - start), min(rise, x2 - start)
        if low <= high:
            draw.line((start + low, y2 - low, start + high, y2 - high), fill=color)


def _label(
    draw: ImageDraw.ImageDraw,
    font: _Font,
    text: str,
    *,
    corner: tuple[int, int],
    color: tuple[int, int, int],
    height: int,
) -> None:
    """`text` on a filled tag just above `corner` (or just inside, at the top edge)."""
    left, top, right, bottom = (round(value) for value in draw.textbbox((0, 0), text, font=font))
    tag_w, tag_h = right - left + 8, bottom - top + 6
    x, y = corner
    y = y - tag_h if y - tag_h >= 0 else max(0, min(y, height - tag_h))
    draw.rectangle((x, y, x + tag_w, y + tag_h), fill=color)
    draw.text((x + 4 - left, y + 3 - top), text, fill="white" if sum(color) < 500 else "black", font=font)


def _fit(draw: ImageDraw.ImageDraw, font: _Font, text: str, width: int) -> str:
    while text and draw.textlength(text, font=font) > width:
        text = text[:-2] + "…" if len(text) > 1 else ""
    return text


def _font(size: int) -> _Font:
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except (OSError, ValueError):  # Pillow built without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def _save(picture: PILImage.Image, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    picture.save(out)
    return out
