"""Encode results the way the Dragoneye service sends them.

`encode_results` turns public result objects into the body of
`GET /prediction-task/results`: a ZIP with STORED members holding a
zstd-compressed `predictions.parquet` of exactly `predictions_schema()` and,
for videos, `frame_timestamps.parquet`. Images are written as video rows at
timestamp 0, as the service does. Scores and box coordinates are stored as
float32, so a float round-trips exactly only if it is a float32 value.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

from .._results._assemble import Checkpoint, no_checkpoint
from .._wire import FRAME_TIMESTAMPS_MEMBER, PREDICTIONS_MEMBER, frame_timestamps_schema, predictions_schema
from ..models import ImageDetectedObject, VideoDetectedObject

__all__ = ["encode_archive", "encode_frame_timestamps", "encode_predictions", "encode_results"]

_ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so equal results give equal bytes
_COMPRESSION = "zstd"
_GAP_BOX = (0.0, 0.0, 0.0, 0.0)  # placeholder under a null box
_BBOX_SIZE = 4


def encode_results(
    objects: Sequence[ImageDetectedObject] | Sequence[VideoDetectedObject],
    frame_timestamps_microseconds: Sequence[int] | None = None,
    checkpoint: Checkpoint = no_checkpoint,
) -> bytes:
    """The results archive of `objects`; give the frame timestamps for a video.

    `checkpoint` is called before each object is encoded.
    """
    members = {PREDICTIONS_MEMBER: encode_predictions(objects, checkpoint)}
    if frame_timestamps_microseconds is not None:
        members[FRAME_TIMESTAMPS_MEMBER] = encode_frame_timestamps(frame_timestamps_microseconds)
    return encode_archive(members)


def encode_archive(members: Mapping[str, bytes]) -> bytes:
    """A ZIP archive of `members` (name -> content), every member STORED."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, data)
    return buffer.getvalue()


def encode_frame_timestamps(frame_timestamps_microseconds: Sequence[int]) -> bytes:
    """`frame_timestamps.parquet`: the timestamps in the given order, `image_id` their index."""
    import pyarrow as pa

    timestamps = list(frame_timestamps_microseconds)
    table = pa.Table.from_arrays(
        [pa.array(timestamps, pa.int64()), pa.array(range(len(timestamps)), pa.int64())],
        schema=frame_timestamps_schema(),
    )
    return _write_parquet(table)


def encode_predictions(
    objects: Sequence[ImageDetectedObject] | Sequence[VideoDetectedObject], checkpoint: Checkpoint = no_checkpoint
) -> bytes:
    """`predictions.parquet`: one row per object, images as video rows at timestamp 0."""
    import pyarrow as pa

    videos = [obj for obj in objects if isinstance(obj, VideoDetectedObject)]
    images = [obj for obj in objects if isinstance(obj, ImageDetectedObject)]
    if (videos and images) or len(videos) + len(images) != len(objects):
        raise TypeError("objects must be all ImageDetectedObject or all VideoDetectedObject")
    columns = _Columns()
    for video_object in videos:
        checkpoint()
        columns.add_video(video_object)
    for image_object in images:
        columns.add_image(image_object)
    table = pa.Table.from_arrays(columns.arrays(), schema=predictions_schema())
    return _write_parquet(table)


def _write_parquet(table: Any) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression=_COMPRESSION)
    data: bytes = sink.getvalue().to_pybytes()
    return data


class _Columns:
    """Flat Python lists for every leaf of the schema, plus the offsets of each list level."""

    def __init__(self) -> None:
        self.object_ids: list[int] = []
        self.span_offsets = [0]
        self.span_starts: list[int] = []
        self.span_ends: list[int] = []
        self.obs_offsets = [0]
        self.obs_timestamps: list[int] = []
        self.obs_coordinates: list[float] = []
        self.obs_scores: list[float | None] = []
        self.obs_gaps: list[bool] = []
        self.cat_offsets = [0]
        self.cat_ids: list[int] = []
        self.cat_names: list[str] = []
        self.cat_scores: list[float] = []
        self.attr_offsets = [0]
        self.attr_ids: list[int] = []
        self.attr_names: list[str] = []
        self.option_ids: list[int] = []
        self.option_names: list[str] = []
        self.range_offsets = [0]
        self.range_starts: list[int] = []
        self.range_ends: list[int] = []
        self.range_scores: list[float] = []

    def add_video(self, obj: VideoDetectedObject) -> None:
        self.object_ids.append(obj.object_id)
        for span in obj.timestamp_ranges:
            self.span_starts.append(span.timestamp_start_us_inclusive)
            self.span_ends.append(span.timestamp_end_us_inclusive)
        self.span_offsets.append(len(self.span_starts))
        timestamps, coordinates = self.obs_timestamps, self.obs_coordinates
        scores, gaps = self.obs_scores, self.obs_gaps
        for sighting in obj.bbox_observations:
            timestamps.append(sighting.timestamp_microseconds)
            observation = sighting.observation
            if observation is None:
                coordinates.extend(_GAP_BOX)
                scores.append(None)
                gaps.append(True)
            else:
                coordinates.extend(_checked_box(observation.normalized_bbox))
                scores.append(observation.bbox_score)
                gaps.append(False)
        self.obs_offsets.append(len(timestamps))
        for category in obj.categories:
            self._add_category(category.category_id, category.name, category.score)
            for attribute in category.attributes:
                self._add_attribute(
                    attribute.attribute_id, attribute.attribute_name, attribute.option_id, attribute.option_name
                )
                for scored in attribute.timestamp_ranges:
                    self.range_starts.append(scored.timestamp_start_us_inclusive)
                    self.range_ends.append(scored.timestamp_end_us_inclusive)
                    self.range_scores.append(scored.score)
                self.range_offsets.append(len(self.range_starts))
            self.attr_offsets.append(len(self.attr_ids))
        self.cat_offsets.append(len(self.cat_ids))

    def add_image(self, obj: ImageDetectedObject) -> None:
        self.object_ids.append(obj.object_id)
        self.span_starts.append(0)
        self.span_ends.append(0)
        self.span_offsets.append(len(self.span_starts))
        self.obs_timestamps.append(0)
        self.obs_coordinates.extend(_checked_box(obj.bbox_observation.normalized_bbox))
        self.obs_scores.append(obj.bbox_observation.bbox_score)
        self.obs_gaps.append(False)
        self.obs_offsets.append(len(self.obs_timestamps))
        for category in obj.categories:
            self._add_category(category.category_id, category.name, category.score)
            for attribute in category.attributes:
                self._add_attribute(
                    attribute.attribute_id, attribute.attribute_name, attribute.option_id, attribute.option_name
                )
                self.range_starts.append(0)
                self.range_ends.append(0)
                self.range_scores.append(attribute.score)
                self.range_offsets.append(len(self.range_starts))
            self.attr_offsets.append(len(self.attr_ids))
        self.cat_offsets.append(len(self.cat_ids))

    def _add_category(self, category_id: int, name: str, score: float) -> None:
        self.cat_ids.append(category_id)
        self.cat_names.append(name)
        self.cat_scores.append(score)

    def _add_attribute(self, attribute_id: int, attribute_name: str, option_id: int, option_name: str) -> None:
        self.attr_ids.append(attribute_id)
        self.attr_names.append(attribute_name)
        self.option_ids.append(option_id)
        self.option_names.append(option_name)

    def arrays(self) -> list[Any]:
        """The four columns of `predictions_schema()`."""
        import pyarrow as pa

        schema = predictions_schema()
        span_type = schema.field("timestamp_ranges").type
        obs_type = schema.field("bbox_observations").type
        cat_type = schema.field("categories").type
        attr_type = cat_type.value_type.field("attributes").type
        range_type = attr_type.value_type.field("timestamp_ranges").type
        bbox_type = obs_type.value_type.field("normalized_bbox").type

        def structs(list_type: Any, children: list[Any]) -> Any:
            return pa.StructArray.from_arrays(children, fields=list(list_type.value_type))

        def lists(list_type: Any, offsets: list[int], values: Any) -> Any:
            return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values, type=list_type)

        int64, float32, string = pa.int64(), pa.float32(), pa.string()
        spans = structs(span_type, [pa.array(self.span_starts, int64), pa.array(self.span_ends, int64)])
        boxes = pa.FixedSizeListArray.from_arrays(
            pa.array(self.obs_coordinates, float32),
            type=bbox_type,
            mask=pa.array(self.obs_gaps, pa.bool_()) if any(self.obs_gaps) else None,
        )
        observations = structs(
            obs_type, [pa.array(self.obs_timestamps, int64), boxes, pa.array(self.obs_scores, float32)]
        )
        ranges = structs(
            range_type,
            [
                pa.array(self.range_starts, int64),
                pa.array(self.range_ends, int64),
                pa.array(self.range_scores, float32),
            ],
        )
        attributes = structs(
            attr_type,
            [
                pa.array(self.attr_ids, int64),
                pa.array(self.attr_names, string),
                pa.array(self.option_ids, int64),
                pa.array(self.option_names, string),
                lists(range_type, self.range_offsets, ranges),
            ],
        )
        categories = structs(
            cat_type,
            [
                pa.array(self.cat_ids, int64),
                pa.array(self.cat_names, string),
                pa.array(self.cat_scores, float32),
                lists(attr_type, self.attr_offsets, attributes),
            ],
        )
        return [
            pa.array(self.object_ids, int64),
            lists(span_type, self.span_offsets, spans),
            lists(obs_type, self.obs_offsets, observations),
            lists(cat_type, self.cat_offsets, categories),
        ]


def _checked_box(box: Sequence[float]) -> Sequence[float]:
    if len(box) != _BBOX_SIZE:
        raise ValueError(f"normalized_bbox must have {_BBOX_SIZE} numbers, got {len(box)}")
    return box
