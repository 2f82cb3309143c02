"""Pictures of results with Pillow (imported only when drawing): boxes on an
image, and a timeline chart of a video's tracks.

On the timeline a frame is the instant it was sampled: a bar runs from the
timestamp of its first frame to that of its last, exactly the span the text
output prints ("on screen 4s-8s" is drawn from 4 s to 8 s), and a stretch of
one frame is a narrow tick. A gap frame is hatched over the half-frame either
side of its timestamp, within its bar.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..models import ClassificationPredictImageResponse, ClassificationPredictVideoResponse
from ..video import format_timestamp, gap_frame_timestamps, summarize_track
from ._common import UsageError
from ._escape import label as safe_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    _Font = ImageFont.ImageFont | ImageFont.FreeTypeFont
    _X = Callable[[int], int]

PILLOW_HINT = 'drawing needs Pillow: pip install "dragoneye-python[draw]"'

_NEUTRAL = (110, 110, 110)
"""The legend's swatches: the bars themselves take each track's colour."""
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
_MIN_BAR = 3
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
    boxes = [obj.bbox_observation.to_pixels(width, height) for obj in result.objects]
    for number, (x1, y1, x2, y2) in enumerate(boxes):
        color = _PALETTE[number % len(_PALETTE)]
        draw.rectangle((x1, y1, max(x1, x2 - 1), max(y1, y2 - 1)), outline=color, width=line)
    # Labels after every box, so no outline crosses a label.
    for number, (obj, (x1, y1, _, _)) in enumerate(zip(result.objects, boxes, strict=True)):
        top = obj.top_category()
        label = f"{safe_label(top.name)} {top.score:.2f}" if top is not None else f"object {obj.object_id}"
        _label(draw, font, label, corner=(x1, y1), color=_PALETTE[number % len(_PALETTE)], size=(width, height))
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
        label = f"#{obj.object_id} {safe_label(track.category or '(no category)')}"
        draw.text((_MARGIN, top + 5), _fit(draw, font, label, _LABEL_WIDTH - 2 * _MARGIN), fill="black", font=font)
        for span_start, span_end in track.spans:
            draw.rectangle((x(span_start), top + 4, _bar_end(x, span_start, span_end), top + _ROW - 5), fill=color)
        for gap in gap_frame_timestamps(obj):
            span = next(((s, e) for s, e in track.spans if s <= gap <= e), (gap, gap))
            cell_start, cell_end = max(span[0], gap - frame_us // 2), min(span[1], gap + frame_us // 2)
            _hatch(draw, (x(cell_start), top + 4, _bar_end(x, cell_start, cell_end), top + _ROW - 5), color)
    if len(result.objects) > _MAX_ROWS:
        more = len(result.objects) - _MAX_ROWS
        draw.text((_MARGIN, _HEADER + len(shown) * _ROW + 5), f"... {more} more objects", fill="gray", font=font)
    axis_top = _HEADER + max(rows, 1) * _ROW + 4
    _axis(draw, font, axis_top, start=start, end=end, x=x)
    _legend(draw, font, axis_top + _AXIS)
    return _save(chart, out)


def _bar_end(x: _X, start_us: int, end_us: int) -> int:
    """The last pixel column of a bar from `start_us` to `end_us` (at least _MIN_BAR wide)."""
    return max(x(start_us) + _MIN_BAR - 1, x(end_us))


def _time_range(result: ClassificationPredictVideoResponse) -> tuple[int, int, int]:
    """The chart's start and end (microseconds: the first and last frames) and one frame's duration."""
    frame_us = 1_000_000 // max(1, result.frames_per_second)
    times = list(result.frame_timestamps_microseconds)
    for obj in result.objects:
        for span in obj.timestamp_ranges:
            times += [span.timestamp_start_us_inclusive, span.timestamp_end_us_inclusive]
    if not times:
        return 0, frame_us, frame_us
    start, end = min(times), max(times)
    return start, max(end, start + frame_us), frame_us


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
    draw.rectangle((_LABEL_WIDTH, top + 4, _LABEL_WIDTH + 24, top + 16), fill=_NEUTRAL)
    draw.text((_LABEL_WIDTH + 30, top + 2), "on screen (first to last frame)", fill="black", font=font)
    _hatch(draw, (_LABEL_WIDTH + 250, top + 4, _LABEL_WIDTH + 274, top + 16), _NEUTRAL)
    draw.text((_LABEL_WIDTH + 280, top + 2), "gap frame (on screen, no box)", fill="black", font=font)


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
    size: tuple[int, int],
) -> None:
    """`text` on a filled tag at a box's top-left `corner`, kept inside the picture."""
    left, top, right, bottom = (round(value) for value in draw.textbbox((0, 0), text, font=font))
    tag = (right - left + 8, bottom - top + 6)
    x, y = label_position(corner, tag, size)
    draw.rectangle((x, y, x + tag[0] - 1, y + tag[1] - 1), fill=color)
    draw.text((x + 4 - left, y + 3 - top), text, fill="white" if sum(color) < 500 else "black", font=font)


def label_position(corner: tuple[int, int], tag: tuple[int, int], size: tuple[int, int]) -> tuple[int, int]:
    """Where a `tag` (width, height) labelling a box at `corner` goes in a picture of `size`:
    just above the corner, or just inside the box when there is no room above;
    shifted left or up as needed to stay inside the picture."""
    (x, y), (tag_w, tag_h), (width, height) = corner, tag, size
    y = y - tag_h if y - tag_h >= 0 else y
    return max(0, min(x, width - tag_w)), max(0, min(y, height - tag_h))


def _fit(draw: ImageDraw.ImageDraw, font: _Font, text: str, width: int) -> str:
    """`text`, or its longest prefix that fits `width` with an ellipsis (a binary search)."""
    if draw.textlength(text, font=font) <= width:
        return text
    low, high = 0, len(text) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if draw.textlength(text[:middle] + "…", font=font) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…" if low else ""


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
