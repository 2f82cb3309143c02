"""The pictures' layout: labels over every box and inside the picture, timeline
bars spanning exactly what the text says, a neutral legend."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from PIL import Image as PILImage

from dragoneye import (
    BboxObservation,
    ClassificationPredictImageResponse,
    ClassificationPredictVideoResponse,
    ImageCategoryPrediction,
    ImageDetectedObject,
    TimestampRange,
    VideoBboxObservation,
    VideoCategoryPrediction,
    VideoDetectedObject,
)
from dragoneye.cli import _draw
from dragoneye.cli._output import format_video

SECOND = 1_000_000
RGB = tuple[int, int, int]


def image_object(object_id: int, box: tuple[float, float, float, float], name: str) -> ImageDetectedObject:
    return ImageDetectedObject(
        object_id=object_id,
        bbox_observation=BboxObservation(normalized_bbox=box, bbox_score=0.9),
        categories=[ImageCategoryPrediction(category_id=object_id, name=name, score=0.9, attributes=[])],
    )


def colours_in(picture: PILImage.Image, box: tuple[int, int, int, int]) -> set[RGB]:
    region = picture.crop(box).convert("RGB")
    return {cast(RGB, colour) for _, colour in region.getcolors(maxcolors=1_000_000) or []}


@pytest.mark.parametrize(
    ("corner", "expected"),
    [
        ((100, 100), (100, 80)),  # room above the box: just above it
        ((100, 10), (100, 10)),  # none above: just inside the box's top
        ((590, 100), (540, 80)),  # too far right: shifted left to fit
        ((0, 0), (0, 0)),
        ((630, 395), (540, 375)),  # a box at the bottom-right corner
        ((-5, -5), (0, 0)),
    ],
)
def test_a_label_stays_inside_the_picture(corner: tuple[int, int], expected: tuple[int, int]) -> None:
    tag, size = (100, 20), (640, 400)
    x, y = _draw.label_position(corner, tag, size)
    assert (x, y) == expected
    assert x >= 0 and x + tag[0] <= size[0] and y >= 0 and y + tag[1] <= size[1]


def test_no_box_outline_crosses_a_label(tmp_path: Path) -> None:
    source = tmp_path / "white.png"
    PILImage.new("RGB", (640, 400), "white").save(source)
    # The first object's label sits just above its box, at y 100 - tag height; the
    # second box's top edge runs at y 92, right through that label.
    result = ClassificationPredictImageResponse(
        objects=[
            image_object(1, (0.25, 0.25, 0.6, 0.6), "First"),
            image_object(2, (0.1, 0.23, 0.9, 0.9), "Second"),
        ],
        prediction_task_uuid="t",
        original_file_name=None,
    )
    out = _draw.annotate_image(source, result, tmp_path / "out.png")
    first, second = _draw._PALETTE[0], _draw._PALETTE[1]
    with PILImage.open(out) as picture:
        label = colours_in(picture, (162, 88, 200, 99))  # inside the first label's tag
        assert first in label
        assert second not in label
        assert second in colours_in(picture, (60, 88, 150, 99))  # the outline is there, left of the label


def one_track_video() -> ClassificationPredictVideoResponse:
    """One object on screen from 4 s to 8 s (frames at 1 fps from 0 to 10 s), with a gap frame at 6 s."""
    frames = [second * SECOND for second in range(11)]
    seen = [
        VideoBboxObservation(
            timestamp_microseconds=t,
            observation=None
            if t == 6 * SECOND
            else BboxObservation(normalized_bbox=(0.1, 0.1, 0.2, 0.2), bbox_score=1),
        )
        for t in frames[4:9]
    ]
    track = VideoDetectedObject(
        object_id=1,
        timestamp_ranges=[
            TimestampRange(timestamp_start_us_inclusive=4 * SECOND, timestamp_end_us_inclusive=8 * SECOND)
        ],
        bbox_observations=seen,
        categories=[VideoCategoryPrediction(category_id=1, name="Car", score=0.9, attributes=[])],
    )
    return ClassificationPredictVideoResponse(
        objects=[track],
        frames_per_second=1,
        frame_timestamps_microseconds=frames,
        prediction_task_uuid="t",
        original_file_name=None,
    )


def test_timeline_bars_span_what_the_text_says(tmp_path: Path) -> None:
    video = one_track_video()
    assert "on screen 4s-8s" in format_video(video)
    out = _draw.draw_timeline(video, tmp_path / "chart.png", "title")
    left, right = _draw._LABEL_WIDTH, _draw._CHART_WIDTH - _draw._MARGIN

    def x(seconds: float) -> int:  # the chart runs from the first frame (0 s) to the last (10 s)
        return left + round(seconds / 10 * (right - left))

    bar = _draw._PALETTE[0]
    row_middle = _draw._HEADER + _draw._ROW // 2
    with PILImage.open(out) as chart:
        rgb = chart.convert("RGB")
        columns = [column for column in range(chart.width) if rgb.getpixel((column, row_middle)) == bar]
        gap_cells = {rgb.getpixel((column, row_middle)) for column in range(x(5.5) + 2, x(6.5) - 1)}
        solid = {rgb.getpixel((column, row_middle)) for column in range(x(4), x(5.5) - 1)}
    assert columns[0] == x(4)
    assert abs(columns[-1] - x(8)) <= 1  # not x(9): the last frame is an instant, as in the text
    # The gap frame at 6 s is hatched (white with stripes) over the half-frame either side of it.
    assert (255, 255, 255) in gap_cells and bar in gap_cells
    assert solid == {bar}


def test_the_legend_uses_a_neutral_swatch(tmp_path: Path) -> None:
    out = _draw.draw_timeline(one_track_video(), tmp_path / "chart.png", "title")
    with PILImage.open(out) as chart:
        legend = colours_in(
            chart, (_draw._LABEL_WIDTH, chart.height - _draw._LEGEND - _draw._MARGIN, 960, chart.height)
        )
    assert _draw._NEUTRAL in legend
    assert not legend & set(_draw._PALETTE)
