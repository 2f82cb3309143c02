"""The CLI's parts on their own: drawing edge cases, the progress line, where --draw writes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image as PILImage

from dragoneye import (
    BboxObservation,
    ClassificationPredictImageResponse,
    ClassificationPredictVideoResponse,
    TimestampRange,
    VideoBboxObservation,
    VideoDetectedObject,
)
from dragoneye.cli._common import UsageError
from dragoneye.cli._draw import annotate_image, draw_timeline
from dragoneye.cli._predict import drawing_targets, load_media
from dragoneye.cli._progress import UPLOADING, WAITING, Progress, TrackedImage
from dragoneye.samples import SAMPLE_IMAGE, SAMPLE_VIDEO


def video(objects: list[VideoDetectedObject], frames: list[int]) -> ClassificationPredictVideoResponse:
    return ClassificationPredictVideoResponse(
        objects=objects,
        frames_per_second=1,
        frame_timestamps_microseconds=frames,
        prediction_task_uuid="t",
        original_file_name="clip.mp4",
    )


def track(object_id: int, start: int, end: int) -> VideoDetectedObject:
    box = BboxObservation(normalized_bbox=(0.1, 0.1, 0.2, 0.2), bbox_score=0.5)
    return VideoDetectedObject(
        object_id=object_id,
        timestamp_ranges=[TimestampRange(timestamp_start_us_inclusive=start, timestamp_end_us_inclusive=end)],
        bbox_observations=[
            VideoBboxObservation(timestamp_microseconds=start, observation=box),
            VideoBboxObservation(timestamp_microseconds=end, observation=None),
        ],
        categories=[],
    )


def test_timeline_of_an_empty_video(tmp_path: Path) -> None:
    out = draw_timeline(video([], []), tmp_path / "empty.png", "empty")
    with PILImage.open(out) as chart:
        assert chart.width == 960


def test_timeline_caps_its_rows(tmp_path: Path) -> None:
    many = [track(n, 0, 1_000_000) for n in range(250)]
    out = draw_timeline(video(many, [0, 1_000_000]), tmp_path / "many.png", "many")
    with PILImage.open(out) as chart:
        assert chart.height < 250 * 24  # 200 rows and a "... 50 more" line


def test_annotate_an_image_without_objects(tmp_path: Path) -> None:
    result = ClassificationPredictImageResponse(objects=[], prediction_task_uuid="t", original_file_name=None)
    out = annotate_image(SAMPLE_IMAGE, result, tmp_path / "nothing.png")
    with PILImage.open(out) as drawn:
        assert drawn.size == (640, 400)


def test_progress_line() -> None:
    progress = Progress(io.StringIO(), enabled=False)
    first = progress.add("a.jpg", 2048)
    assert "a.jpg: starting" in progress.line()
    progress.update(first, phase=UPLOADING, sent=1024)
    assert "a.jpg: uploading 50% (1.0 KB of 2.0 KB)" in progress.line()
    second = progress.add("b.mp4", None)
    progress.update(second, phase=WAITING)
    assert "0/2 done, 1 uploading, 1 waiting" in progress.line()


def test_tracked_media_reports_its_upload() -> None:
    progress = Progress(io.StringIO(), enabled=False)
    image = TrackedImage.from_path(SAMPLE_IMAGE)
    image.watch(progress, progress.add("sample.jpg", image.size()))
    with image.open() as stream:
        assert "uploading 0%" in progress.line()
        stream.read(1000)
        assert "(1000 B of" in progress.line()
        stream.seek(0)
        assert stream.read() == SAMPLE_IMAGE.read_bytes()
    assert "waiting for the prediction" in progress.line()


def test_drawing_targets(tmp_path: Path) -> None:
    image, clip = load_media(SAMPLE_IMAGE, None), load_media(SAMPLE_VIDEO, None)
    assert drawing_targets(str(tmp_path / "x.png"), [SAMPLE_IMAGE], [image]) == [tmp_path / "x.png"]
    assert drawing_targets(str(tmp_path / "dir"), [SAMPLE_IMAGE], [image]) == [
        tmp_path / "dir" / "sample-annotated.jpg"
    ]
    both = drawing_targets(str(tmp_path), [SAMPLE_IMAGE, SAMPLE_VIDEO, SAMPLE_IMAGE], [image, clip, image])
    assert [path.name for path in both if path] == [
        "sample-annotated.jpg",
        "sample-timeline.png",
        "sample-annotated-2.jpg",
    ]
    with pytest.raises(UsageError, match="picture extension"):
        drawing_targets(str(tmp_path / "x.txt"), [SAMPLE_IMAGE], [image])


def test_load_media_rejects_directories_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="directory"):
        load_media(tmp_path, None)
    empty = tmp_path / "empty.jpg"
    empty.touch()
    with pytest.raises(UsageError, match="empty"):
        load_media(empty, None)
    with pytest.raises(UsageError, match="neither"):
        load_media(SAMPLE_IMAGE, "text/plain")
