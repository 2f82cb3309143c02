"""Decode a prediction task's results archive into the public result types.

The body is a ZIP holding `predictions.parquet` (one row per object) and, for
videos, `frame_timestamps.parquet`; see the wire protocol. Decoding is
columnar: every nested list is read once as flat primitive columns plus
offsets, and the objects are assembled by slicing, which is much faster than
converting row by row.

Anything malformed raises `PredictionTaskResultsUnavailableError` naming what
is wrong. Beyond the exact `predictions_schema()`, the decoder accepts any
integer type where int64 is expected, float64 for float32, large_string or a
dictionary of strings for string, large_list for list, and a (large_)list of
exactly 4 numbers for the fixed-size `normalized_bbox`. Extra columns and
struct fields are ignored, and a null list reads as empty, as in the official
client. Image results ignore the timestamps of their rows.

pyarrow is imported inside the functions so that importing the SDK stays fast.
"""

from __future__ import annotations

import gc
import io
import threading
import zipfile
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import pairwise
from typing import Any, NamedTuple, TypeVar, cast

from ._wire import FRAME_TIMESTAMPS_MEMBER, FRAMES_PER_SECOND_HEADER, PREDICTIONS_MEMBER, predictions_schema
from .models import (
    BboxObservation,
    ClassificationPredictImageResponse,
    ClassificationPredictVideoResponse,
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
from .types.common import NormalizedBbox
from .types.exception import PredictionTaskResultsUnavailableError

__all__ = ["decode_image_results", "decode_video_results"]

# Limits against archives that inflate far beyond their size. Members are
# normally STORED, so a member is never larger than the body itself.
_MAX_INFLATE_RATIO = 32
_MIN_INFLATE_LIMIT = 64 << 20
_MAX_PARQUET_BYTES = 2 << 30  # uncompressed, as the parquet footer declares
_READ_CHUNK = 1 << 20
_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_MAX_FPS_DIGITS = 9
_BBOX_SIZE = 4

_T = TypeVar("_T")
_Unavailable = PredictionTaskResultsUnavailableError


def decode_image_results(
    body: bytes, *, prediction_task_uuid: str, original_file_name: str | None
) -> ClassificationPredictImageResponse:
    """Decode the results archive of an image prediction."""

    def decode() -> ClassificationPredictImageResponse:
        members = _read_archive(body, (PREDICTIONS_MEMBER,))
        return ClassificationPredictImageResponse(
            objects=_Predictions(members[PREDICTIONS_MEMBER]).image_objects(),
            prediction_task_uuid=prediction_task_uuid,
            original_file_name=original_file_name,
        )

    return _guarded(decode)


def decode_video_results(
    body: bytes,
    *,
    prediction_task_uuid: str,
    original_file_name: str | None,
    frames_per_second: str | int | None,
) -> ClassificationPredictVideoResponse:
    """Decode the results archive of a video prediction.

    `frames_per_second` is the raw `X-Frames-Per-Second` header: it must be a
    positive integer. Without `frame_timestamps.parquet` the frame list is empty.
    """

    def decode() -> ClassificationPredictVideoResponse:
        fps = _frames_per_second(frames_per_second)
        members = _read_archive(body, (PREDICTIONS_MEMBER, FRAME_TIMESTAMPS_MEMBER))
        frames = members.get(FRAME_TIMESTAMPS_MEMBER)
        return ClassificationPredictVideoResponse(
            objects=_Predictions(members[PREDICTIONS_MEMBER]).video_objects(),
            frames_per_second=fps,
            frame_timestamps_microseconds=[] if frames is None else _frame_timestamps(frames),
            prediction_task_uuid=prediction_task_uuid,
            original_file_name=original_file_name,
        )

    return _guarded(decode)


def _guarded(decode: Callable[[], _T]) -> _T:
    # Every expected failure is diagnosed where it happens; this net only keeps
    # the promise that nothing but _Unavailable escapes, should a case be missed.
    try:
        with _gc_paused():
            return decode()
    except _Unavailable:
        raise
    except Exception as exc:
        raise _Unavailable(f"unexpected error decoding the results archive: {_describe(exc)}") from exc


class _GarbageCollectorPause:
    """Pauses the cyclic garbage collector while decoding.

    Decoding allocates hundreds of thousands of small acyclic objects, each
    allocation counting towards a collection that rescans the growing result:
    pausing roughly halves the time of a large video. Nothing here makes
    cycles, so nothing is left for the collector to catch up on. Decodes may
    run at once in worker threads: the first one in pauses, the last one out
    restores the collector as it found it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._was_enabled = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._was_enabled:
                    gc.enable()


_gc_paused = _GarbageCollectorPause()


def _frames_per_second(value: str | int | None) -> int:
    if value is None:
        raise _Unavailable(f"{FRAMES_PER_SECOND_HEADER} header is missing on a video result")
    fps = 0
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= _MAX_FPS_DIGITS:
            fps = int(text)
    elif isinstance(value, int) and not isinstance(value, bool):
        fps = value
    if fps <= 0:
        raise _Unavailable(f"{FRAMES_PER_SECOND_HEADER} header is not a positive integer: {_short(repr(value))}")
    return fps


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _describe(exc: BaseException) -> str:
    """The exception on one short line."""
    return f"{type(exc).__name__}: {_short(' '.join(str(exc).split()))}"


# ---- ZIP ----


def _read_archive(body: bytes, names: Sequence[str]) -> dict[str, bytes]:
    """The members of the archive among `names`; predictions.parquet is required."""
    members: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            if PREDICTIONS_MEMBER not in infos:
                raise _Unavailable(f"results archive lacks {PREDICTIONS_MEMBER}")
            budget = len(body) * _MAX_INFLATE_RATIO + _MIN_INFLATE_LIMIT
            for name in names:
                info = infos.get(name)
                if info is None:
                    continue
                if info.compress_type not in _ZIP_METHODS:
                    raise _Unavailable(
                        f"results archive member {name} uses unsupported compression {info.compress_type}"
                    )
                members[name] = _read_member(archive, info, budget)
                budget -= len(members[name])
    except _Unavailable:
        raise
    except Exception as exc:  # zipfile, zlib and the OS fail in many ways on bad input
        raise _Unavailable(f"results archive is not a valid ZIP: {_describe(exc)}") from exc
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    # Read in chunks: the declared size of a deflated member may lie.
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(_READ_CHUNK):
            size += len(chunk)
            if size > budget:
                raise _Unavailable(f"results archive member {info.filename} inflates to more than {budget} bytes")
            chunks.append(chunk)
    return b"".join(chunks)


# ---- parquet ----


def _open_parquet(data: bytes, member: str) -> tuple[Any, Any]:
    """The parquet file and its arrow schema, read from the footer alone."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(pa.BufferReader(data))
        schema = parquet.schema_arrow
        metadata = parquet.metadata
        declared = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    except Exception as exc:
        raise _Unavailable(f"{member} is not valid parquet: {_describe(exc)}") from exc
    if declared > _MAX_PARQUET_BYTES:
        raise _Unavailable(f"{member} is too large: {declared} bytes uncompressed")
    return parquet, schema


def _read_columns(parquet: Any, member: str, names: list[str]) -> list[Any]:
    """The named columns, each as one contiguous array."""
    try:
        table = parquet.read(columns=names)
        return [table.column(name).combine_chunks() for name in names]
    except Exception as exc:
        raise _Unavailable(f"{member} is not valid parquet: {_describe(exc)}") from exc


def _check_column(schema: Any, name: str, expected: Any, member: str) -> None:
    found = schema.get_all_field_indices(name)
    if not found:
        raise _Unavailable(f"{member} lacks column {name!r}")
    if len(found) > 1:
        raise _Unavailable(f"{member} has more than one column {name!r}")
    _check_type(schema.field(found[0]).type, expected, name, member)


def _check_type(actual: Any, expected: Any, path: str, member: str) -> None:
    """Raise unless `actual` can be decoded as the canonical `expected` type."""
    import pyarrow as pa

    types = pa.types
    if types.is_struct(expected):
        ok = types.is_struct(actual)
        want = "a struct"
    elif types.is_fixed_size_list(expected):
        ok = (types.is_fixed_size_list(actual) and actual.list_size == expected.list_size) or (
            types.is_list(actual) or types.is_large_list(actual)
        )
        want = f"a list of {expected.list_size} numbers"
    elif types.is_list(expected):
        ok = types.is_list(actual) or types.is_large_list(actual)
        want = "a list"
    elif types.is_integer(expected):
        ok = types.is_integer(actual)
        want = "an integer"
    elif types.is_floating(expected):
        ok = types.is_float32(actual) or types.is_float64(actual)
        want = "float32 or float64"
    else:
        # A dictionary of strings is how a categorical column may be written.
        text = actual.value_type if types.is_dictionary(actual) else actual
        ok = types.is_string(text) or types.is_large_string(text)
        want = "a string"
    if not ok:
        raise _Unavailable(f"{member} has the wrong type for {path!r}: expected {want}, got {_short(str(actual))}")
    if types.is_struct(expected):
        for field in expected:
            found = actual.get_all_field_indices(field.name)
            child = f"{path}.{field.name}"
            if not found:
                raise _Unavailable(f"{member} lacks field {child!r}")
            if len(found) > 1:
                raise _Unavailable(f"{member} has more than one field {child!r}")
            _check_type(actual.field(found[0]).type, field.type, child, member)
    elif types.is_list(expected) or types.is_fixed_size_list(expected):
        _check_type(actual.value_type, expected.value_type, path + "[]", member)


def _frame_timestamps(data: bytes) -> list[int]:
    import pyarrow as pa

    member = FRAME_TIMESTAMPS_MEMBER
    parquet, schema = _open_parquet(data, member)
    _check_column(schema, "timestamp_microseconds", pa.int64(), member)
    (column,) = _read_columns(parquet, member, ["timestamp_microseconds"])
    if column.null_count:
        raise _Unavailable(f"{member} has a null timestamp_microseconds in row {_first_null(column)}")
    return sorted(column.to_pylist())


def _first_null(array: Any) -> int:
    import pyarrow.compute as pc

    return int(pc.index(array.is_null(), True).as_py())


class _Predictions:
    """The columns of predictions.parquet, checked against the schema up front."""

    _MEMBER = PREDICTIONS_MEMBER

    def __init__(self, data: bytes) -> None:
        parquet, schema = _open_parquet(data, self._MEMBER)
        expected = predictions_schema()
        for field in expected:
            _check_column(schema, field.name, field.type, self._MEMBER)
        self._columns = dict(zip(expected.names, _read_columns(parquet, self._MEMBER, expected.names), strict=True))
        ids = self._columns["object_id"]
        if ids.null_count:
            raise _Unavailable(f"{self._MEMBER} has a null object_id in row {_first_null(ids)}")
        self._object_ids: list[int] = ids.to_pylist()

    # -- objects --

    def video_objects(self) -> list[VideoDetectedObject]:
        range_offsets, ranges = self._list("timestamp_ranges", self._columns["timestamp_ranges"], [])
        starts = self._values(ranges, "timestamp_start_us_inclusive", "timestamp_ranges[]", [range_offsets])
        ends = self._values(ranges, "timestamp_end_us_inclusive", "timestamp_ranges[]", [range_offsets])
        new_span = TimestampRange
        spans = [
            new_span(timestamp_start_us_inclusive=start, timestamp_end_us_inclusive=end)
            for start, end in zip(starts, ends, strict=True)
        ]
        obs_offsets, observations = self._list("bbox_observations", self._columns["bbox_observations"], [])
        chain = [obs_offsets]
        timestamps = self._values(observations, "timestamp_microseconds", "bbox_observations[]", chain)
        boxes, scores = self._boxes(observations, chain)
        new_observation, new_box = VideoBboxObservation, BboxObservation
        sightings = [
            new_observation(
                timestamp_microseconds=timestamp,
                observation=None if score is None else new_box(normalized_bbox=box, bbox_score=score),
            )
            for timestamp, box, score in zip(timestamps, boxes, scores, strict=True)
        ]
        cat_offsets, categories = self._video_categories()
        new_object = VideoDetectedObject
        return [
            new_object(
                object_id=object_id,
                timestamp_ranges=spans[r0:r1],
                bbox_observations=sightings[o0:o1],
                categories=categories[c0:c1],
            )
            for object_id, r0, r1, o0, o1, c0, c1 in zip(
                self._object_ids,
                range_offsets,
                range_offsets[1:],
                obs_offsets,
                obs_offsets[1:],
                cat_offsets,
                cat_offsets[1:],
                strict=False,
            )
        ]

    def image_objects(self) -> list[ImageDetectedObject]:
        obs_offsets, observations = self._list("bbox_observations", self._columns["bbox_observations"], [])
        for row, (start, end) in enumerate(pairwise(obs_offsets)):
            if end - start != 1:
                raise _Unavailable(
                    f"{self._MEMBER}: the image object in row {row} has {end - start}"
                    " bbox observations, not exactly one"
                )
        boxes, maybe_scores = self._boxes(observations, [obs_offsets])
        for row, score in enumerate(maybe_scores):
            if score is None:
                raise _Unavailable(f"{self._MEMBER}: the image object in row {row} has a gap frame (a null bbox)")
        scores = cast(list[float], maybe_scores)  # no None, as just checked
        cat_offsets, categories = self._image_categories()
        new_object, new_box = ImageDetectedObject, BboxObservation
        return [
            new_object(
                object_id=object_id,
                bbox_observation=new_box(normalized_bbox=box, bbox_score=score),
                categories=categories[c0:c1],
            )
            for object_id, box, score, c0, c1 in zip(
                self._object_ids, boxes, scores, cat_offsets, cat_offsets[1:], strict=False
            )
        ]

    # -- categories and attributes --

    def _category_columns(self) -> _CategoryColumns:
        """The flat columns of categories and attributes, and the offsets that nest them."""
        path = "categories[]"
        cat_offsets, cats = self._list("categories", self._columns["categories"], [])
        chain = [cat_offsets]
        ids = self._values(cats, "category_id", path, chain)
        names = self._values(cats, "name", path, chain)
        scores = self._values(cats, "score", path, chain)

        path = "categories[].attributes[]"
        attr_offsets, attrs = self._list("categories[].attributes", cats.field("attributes"), chain)
        chain = [cat_offsets, attr_offsets]
        identities = list(
            zip(
                self._values(attrs, "attribute_id", path, chain),
                self._values(attrs, "attribute_name", path, chain),
                self._values(attrs, "option_id", path, chain),
                self._values(attrs, "option_name", path, chain),
                strict=True,
            )
        )
        range_offsets, ranges = self._list(
            "categories[].attributes[].timestamp_ranges", attrs.field("timestamp_ranges"), chain
        )
        return _CategoryColumns(cat_offsets, ids, names, scores, attr_offsets, identities, range_offsets, ranges)

    def _video_categories(self) -> tuple[list[int], list[VideoCategoryPrediction]]:
        """Row offsets into the flat list of categories, and that list."""
        columns = self._category_columns()
        path = "categories[].attributes[].timestamp_ranges[]"
        chain = [columns.cat_offsets, columns.attr_offsets, columns.range_offsets]
        new_range = ScoredTimestampRange
        scored = [
            new_range(timestamp_start_us_inclusive=start, timestamp_end_us_inclusive=end, score=score)
            for start, end, score in zip(
                self._values(columns.ranges, "timestamp_start_us_inclusive", path, chain),
                self._values(columns.ranges, "timestamp_end_us_inclusive", path, chain),
                self._values(columns.ranges, "score", path, chain),
                strict=True,
            )
        ]
        new_attribute = VideoAttributePrediction
        attributes = [
            new_attribute(
                attribute_id=attribute_id,
                attribute_name=attribute_name,
                option_id=option_id,
                option_name=option_name,
                timestamp_ranges=scored[r0:r1],
            )
            for (attribute_id, attribute_name, option_id, option_name), r0, r1 in zip(
                columns.identities, columns.range_offsets, columns.range_offsets[1:], strict=False
            )
        ]
        new_category = VideoCategoryPrediction
        categories = [
            new_category(category_id=category_id, name=name, score=score, attributes=attributes[a0:a1])
            for category_id, name, score, a0, a1 in zip(
                columns.ids, columns.names, columns.scores, columns.attr_offsets, columns.attr_offsets[1:], strict=False
            )
        ]
        return columns.cat_offsets, categories

    def _image_categories(self) -> tuple[list[int], list[ImageCategoryPrediction]]:
        """Row offsets into the flat list of categories, and that list."""
        columns = self._category_columns()
        for index, (start, end) in enumerate(pairwise(columns.range_offsets)):
            if end - start != 1:
                row = _row_of(index, [columns.cat_offsets, columns.attr_offsets])
                raise _Unavailable(
                    f"{self._MEMBER}: an attribute of the image object in row {row} has {end - start}"
                    " timestamp ranges, not exactly one"
                )
        path = "categories[].attributes[].timestamp_ranges[]"
        chain = [columns.cat_offsets, columns.attr_offsets, columns.range_offsets]
        new_attribute = ImageAttributePrediction
        attributes = [
            new_attribute(
                attribute_id=attribute_id,
                attribute_name=attribute_name,
                option_id=option_id,
                option_name=option_name,
                score=score,
            )
            for (attribute_id, attribute_name, option_id, option_name), score in zip(
                columns.identities, self._values(columns.ranges, "score", path, chain), strict=True
            )
        ]
        new_category = ImageCategoryPrediction
        categories = [
            new_category(category_id=category_id, name=name, score=score, attributes=attributes[a0:a1])
            for category_id, name, score, a0, a1 in zip(
                columns.ids, columns.names, columns.scores, columns.attr_offsets, columns.attr_offsets[1:], strict=False
            )
        ]
        return columns.cat_offsets, categories

    # -- column helpers --

    def _list(self, path: str, array: Any, chain: list[list[int]]) -> tuple[list[int], Any]:
        """Offsets (from 0) into the flat struct values of a list array, and those values.

        `chain` holds the offsets of the enclosing lists, outermost first, to
        name the row of a bad value.
        """
        import pyarrow.compute as pc

        offsets: list[int] = array.offsets.to_pylist()
        start, end = offsets[0], offsets[-1]
        values = array.values.slice(start, end - start)
        if start:
            offsets = [offset - start for offset in offsets]
        # A null list reads as empty, so it must span no values; pyarrow's
        # parquet reader guarantees that, but say so rather than mis-slice.
        if array.null_count and (pc.sum(pc.list_value_length(array)).as_py() or 0) != end - start:
            raise _Unavailable(f"{self._MEMBER} has inconsistent list offsets in {path!r}")
        if values.null_count:
            row = _row_of(_first_null(values), [*chain, offsets])
            raise _Unavailable(f"{self._MEMBER} has a null element in {path!r} in row {row}")
        return offsets, values

    def _values(self, struct: Any, name: str, path: str, chain: list[list[int]]) -> list[Any]:
        """A required field of a flat struct array as Python values."""
        import pyarrow as pa

        column = struct.field(name)
        if pa.types.is_dictionary(column.type):
            column = column.dictionary_decode()  # also surfaces nulls held in the dictionary
        if column.null_count:
            row = _row_of(_first_null(column), chain)
            raise _Unavailable(f"{self._MEMBER} has a null in {path}.{name} in row {row}")
        values: list[Any] = column.to_pylist()
        return values

    def _boxes(self, observations: Any, chain: list[list[int]]) -> tuple[list[NormalizedBbox], list[float | None]]:
        """Each observation's box and score; the score is None exactly on a gap frame."""
        import pyarrow as pa
        import pyarrow.compute as pc

        path = "bbox_observations[]"
        bbox = observations.field("normalized_bbox")
        score = observations.field("bbox_score")
        if not pa.types.is_fixed_size_list(bbox.type):
            bad = pc.not_equal(pc.list_value_length(bbox), _BBOX_SIZE)
            if pc.any(bad).as_py():
                row = _row_of(int(pc.index(bad, True).as_py()), chain)
                raise _Unavailable(
                    f"{self._MEMBER} has a normalized_bbox that is not {_BBOX_SIZE} numbers in row {row}"
                )
            bbox = bbox.cast(pa.list_(bbox.type.value_type, _BBOX_SIZE))
        if (bbox.null_count or score.null_count) and not pc.all(pc.equal(bbox.is_null(), score.is_null())).as_py():
            row = _row_of(int(pc.index(pc.not_equal(bbox.is_null(), score.is_null()), True).as_py()), chain)
            raise _Unavailable(
                f"{self._MEMBER} has a {path} entry in row {row} where only one of"
                " normalized_bbox and bbox_score is null"
            )
        if bbox.flatten().null_count:  # flatten() skips the null boxes of gap frames
            raise _Unavailable(f"{self._MEMBER} has a normalized_bbox with a null coordinate")
        flat = bbox.values.slice(bbox.offset * _BBOX_SIZE, len(bbox) * _BBOX_SIZE).to_pylist()
        coordinates = iter(flat)
        boxes: list[NormalizedBbox] = list(zip(coordinates, coordinates, coordinates, coordinates, strict=False))
        scores: list[float | None] = score.to_pylist()
        return boxes, scores


class _CategoryColumns(NamedTuple):
    cat_offsets: list[int]
    ids: list[int]
    names: list[str]
    scores: list[float]
    attr_offsets: list[int]
    identities: list[tuple[int, str, int, str]]
    """(attribute_id, attribute_name, option_id, option_name) of each attribute."""
    range_offsets: list[int]
    ranges: Any
    """The struct array of the attributes' scored timestamp ranges."""


def _row_of(index: int, chain: list[list[int]]) -> int:
    """The row holding flat item `index`, given the offsets of each enclosing list level."""
    for offsets in reversed(chain):
        index = bisect_right(offsets, index) - 1
    return index
