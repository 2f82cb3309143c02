"""Every malformed archive raises PredictionTaskResultsUnavailableError naming what is wrong."""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest

from dragoneye import _results
from dragoneye._results import _archive, _columns, decode_image_results, decode_video_results
from dragoneye._wire import FRAME_TIMESTAMPS_MEMBER, PREDICTIONS_MEMBER, predictions_schema
from dragoneye.emulator.archive import encode_archive
from dragoneye.types.exception import DragoneyeError, PredictionTaskResultsUnavailableError

from .samples import (
    image_archive,
    members_of,
    read_table,
    retyped,
    rows_of,
    video_archive,
    with_frame_timestamps,
    with_predictions,
    zip_with,
)

Unavailable = PredictionTaskResultsUnavailableError


def decode_video(body: bytes, fps: Any = "5") -> Any:
    return decode_video_results(body, prediction_task_uuid="task", original_file_name=None, frames_per_second=fps)


def decode_image(body: bytes) -> Any:
    return decode_image_results(body, prediction_task_uuid="task", original_file_name=None)


DECODERS: list[Callable[[bytes], Any]] = [decode_video, decode_image]


def raises_both(body: bytes, match: str) -> None:
    """Both decoders reject `body` with a message matching `match`."""
    for decode in DECODERS:
        with pytest.raises(Unavailable, match=match) as caught:
            decode(body)
        assert isinstance(caught.value, DragoneyeError)
        assert not str(caught.value).startswith("unexpected error")


def video_rows_body(edit: Callable[[list[dict[str, Any]]], None], schema: pa.Schema | None = None) -> bytes:
    body = video_archive()
    rows = rows_of(body)
    edit(rows)
    return with_predictions(body, pa.Table.from_pylist(rows, schema=schema or predictions_schema()))


def image_rows_body(edit: Callable[[list[dict[str, Any]]], None], schema: pa.Schema | None = None) -> bytes:
    body = image_archive()
    rows = rows_of(body)
    edit(rows)
    return with_predictions(body, pa.Table.from_pylist(rows, schema=schema or predictions_schema()))


def cast_body(schema: pa.Schema) -> bytes:
    body = video_archive()
    table = read_table(members_of(body)[PREDICTIONS_MEMBER])
    return with_predictions(body, table.cast(schema))


# ---- the archive ----


@pytest.mark.parametrize(
    "body",
    [b"", b"not a zip", b"PK\x03\x04" + b"\x00" * 40, b"PK\x05\x06" + b"\x00" * 18, video_archive()[:-30]],
    ids=["empty", "text", "local-header", "empty-directory-garbage", "truncated"],
)
def test_not_a_zip(body: bytes) -> None:
    message = "results archive is not a valid ZIP|results archive lacks predictions.parquet"
    raises_both(body, message)


def test_lacks_predictions() -> None:
    members = members_of(video_archive())
    del members[PREDICTIONS_MEMBER]
    raises_both(encode_archive(members), "^results archive lacks predictions.parquet$")
    raises_both(encode_archive({}), "^results archive lacks predictions.parquet$")
    raises_both(encode_archive({"dir/predictions.parquet": b""}), "lacks predictions.parquet")


def test_corrupt_member_data_fails_crc() -> None:
    body = bytearray(video_archive())
    offset = body.index(b"PAR1") + 100  # inside the stored predictions.parquet
    body[offset] ^= 0xFF
    raises_both(bytes(body), "not a valid ZIP: BadZipFile: Bad CRC-32")


def test_unsupported_compression() -> None:
    body = zip_with(members_of(video_archive()), compression=zipfile.ZIP_BZIP2)
    raises_both(body, "member predictions.parquet uses unsupported compression 12")


def test_member_that_inflates_too_far(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_archive, "_MIN_INFLATE_LIMIT", 1 << 20)
    body = zip_with({PREDICTIONS_MEMBER: b"\x00" * (8 << 20)}, compression=zipfile.ZIP_DEFLATED)
    assert len(body) < 100_000
    raises_both(body, r"member predictions.parquet inflates to more than \d+ bytes")


def test_member_with_a_lying_size_is_still_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The chunked read does not trust the declared size of a deflated member."""
    monkeypatch.setattr(_archive, "_MIN_INFLATE_LIMIT", 1 << 20)
    body = bytearray(zip_with({PREDICTIONS_MEMBER: b"\x00" * (8 << 20)}, compression=zipfile.ZIP_DEFLATED))
    central = body.rindex(b"PK\x01\x02")
    for at in (22, central + 24):  # the uncompressed size in the local header and the central directory
        assert body[at : at + 4] == (8 << 20).to_bytes(4, "little")
        body[at : at + 4] = (100).to_bytes(4, "little")
    for decode in DECODERS:
        with pytest.raises(Unavailable, match=r"not a valid ZIP|inflates to more than"):
            decode(bytes(body))


# ---- predictions.parquet as parquet ----


@pytest.mark.parametrize(
    "data", [b"", b"PAR1", b"PAR1 garbage PAR1", members_of(video_archive())[PREDICTIONS_MEMBER][:-9]]
)
def test_predictions_not_parquet(data: bytes) -> None:
    raises_both(encode_archive({PREDICTIONS_MEMBER: data}), "^predictions.parquet is not valid parquet: ")


def test_predictions_page_corrupted() -> None:
    data = bytearray(members_of(video_archive())[PREDICTIONS_MEMBER])
    for at in range(8, len(data) // 2, 97):
        data[at] ^= 0x5A
    raises_both(encode_archive({PREDICTIONS_MEMBER: bytes(data)}), "^predictions.parquet is not valid parquet: ")


def test_predictions_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_columns, "_MAX_PARQUET_BYTES", 100)
    raises_both(video_archive(), r"^predictions.parquet is too large: \d+ bytes uncompressed$")


# ---- predictions.parquet schema ----


@pytest.mark.parametrize("column", ["object_id", "timestamp_ranges", "bbox_observations", "categories"])
def test_lacks_column(column: str) -> None:
    body = video_archive()
    table = read_table(members_of(body)[PREDICTIONS_MEMBER]).drop_columns([column])
    raises_both(with_predictions(body, table), f"^predictions.parquet lacks column '{column}'$")


def test_duplicate_column() -> None:
    body = video_archive()
    table = read_table(members_of(body)[PREDICTIONS_MEMBER])
    table = table.append_column("object_id", table.column("object_id"))
    raises_both(with_predictions(body, table), "^predictions.parquet has more than one column 'object_id'$")


@pytest.mark.parametrize(
    ("path", "new_type", "message"),
    [
        (["object_id"], pa.string(), "'object_id': expected an integer, got string"),
        (["object_id"], pa.float64(), "'object_id': expected an integer, got double"),
        (["categories"], pa.string(), "'categories': expected a list, got string"),
        (["timestamp_ranges"], pa.list_(pa.int64()), r"'timestamp_ranges\[\]': expected a struct, got int64"),
        (
            ["bbox_observations", "normalized_bbox"],
            pa.list_(pa.float32(), 3),
            r"'bbox_observations\[\].normalized_bbox': expected a list of 4 numbers, got fixed_size_list",
        ),
        (
            ["bbox_observations", "normalized_bbox"],
            pa.string(),
            r"'bbox_observations\[\].normalized_bbox': expected a list of 4 numbers, got string",
        ),
        (
            ["bbox_observations", "normalized_bbox"],
            pa.list_(pa.string(), 4),
            r"'bbox_observations\[\].normalized_bbox\[\]': expected float32 or float64, got string",
        ),
        (
            ["bbox_observations", "bbox_score"],
            pa.float16(),
            r"'bbox_observations\[\].bbox_score': expected float32 or float64, got halffloat",
        ),
        (["categories", "name"], pa.binary(), r"'categories\[\].name': expected a string, got binary"),
        (
            ["categories", "attributes", "option_id"],
            pa.string(),
            r"'categories\[\].attributes\[\].option_id': expected an integer, got string",
        ),
        (
            ["categories", "attributes", "timestamp_ranges", "score"],
            pa.string(),
            r"'categories\[\].attributes\[\].timestamp_ranges\[\].score': expected float32 or float64, got string",
        ),
    ],
)
def test_wrong_type(path: list[str], new_type: pa.DataType, message: str) -> None:
    schema = retyped(path, new_type)
    body = video_archive()
    table = read_table(members_of(body)[PREDICTIONS_MEMBER])
    try:
        table = table.cast(schema)
    except pa.ArrowException:
        table = pa.Table.from_arrays([pa.nulls(len(table), field.type) for field in schema], schema=schema)
    raises_both(with_predictions(body, table), f"^predictions.parquet has the wrong type for {message}")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (["categories", "name"], r"'categories\[\].name'"),
        (["categories", "attributes", "option_name"], r"'categories\[\].attributes\[\].option_name'"),
        (["bbox_observations", "bbox_score"], r"'bbox_observations\[\].bbox_score'"),
        (
            ["categories", "attributes", "timestamp_ranges", "score"],
            r"'categories\[\].attributes\[\].timestamp_ranges\[\].score'",
        ),
    ],
)
def test_lacks_field(path: list[str], message: str) -> None:
    def without(data_type: pa.DataType, rest: list[str]) -> pa.DataType:
        if pa.types.is_list(data_type):
            return pa.list_(without(data_type.value_type, rest))
        if len(rest) == 1:
            return pa.struct([field for field in data_type if field.name != rest[0]])
        return pa.struct([pa.field(f.name, without(f.type, rest[1:])) if f.name == rest[0] else f for f in data_type])

    schema = predictions_schema()
    top = schema.get_field_index(path[0])
    schema = schema.set(top, pa.field(path[0], without(schema.field(top).type, path[1:])))
    raises_both(cast_body(schema), f"^predictions.parquet lacks field {message}$")


def test_duplicate_field() -> None:
    category = predictions_schema().field("categories").type.value_type
    doubled = pa.list_(pa.struct([*category, pa.field("name", pa.string())]))
    body = video_archive()
    table = read_table(members_of(body)[PREDICTIONS_MEMBER])
    table = table.set_column(3, "categories", pa.nulls(len(table), doubled))
    raises_both(with_predictions(body, table), r"^predictions.parquet has more than one field 'categories\[\].name'$")


# ---- predictions.parquet values ----


def set_in(rows: list[dict[str, Any]], path: list[Any], value: Any) -> None:
    target: Any = rows
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ([1, "object_id"], "null object_id in row 1$"),
        ([0, "timestamp_ranges", 1, "timestamp_end_us_inclusive"], r"null in timestamp_ranges\[\].timestamp_end"),
        ([0, "bbox_observations", 3, "timestamp_microseconds"], "null in bbox_observations"),
        ([0, "categories", 1, "name"], r"null in categories\[\].name in row 0$"),
        ([0, "categories", 0, "score"], r"null in categories\[\].score in row 0$"),
        ([0, "categories", 0, "attributes", 1, "attribute_id"], r"null in categories\[\].attributes\[\].attribute_id"),
        ([0, "categories", 0, "attributes", 0, "option_name"], r"null in categories\[\].attributes\[\].option_name"),
        ([0, "categories", 0, "attributes", 0, "timestamp_ranges", 1, "score"], r"timestamp_ranges\[\].score in row 0"),
        (
            [0, "categories", 0, "attributes", 1, "timestamp_ranges", 0, "timestamp_start_us_inclusive"],
            r"timestamp_ranges\[\].timestamp_start_us_inclusive in row 0",
        ),
        ([0, "bbox_observations", 2], r"null element in 'bbox_observations' in row 0$"),
        ([0, "categories", 1], r"null element in 'categories' in row 0$"),
        ([0, "categories", 0, "attributes", 1], r"null element in 'categories\[\].attributes' in row 0$"),
        ([0, "timestamp_ranges", 0], r"null element in 'timestamp_ranges' in row 0$"),
        ([0, "bbox_observations", 0, "normalized_bbox", 2], "normalized_bbox with a null coordinate"),
        ([0, "bbox_observations", 0, "bbox_score"], "only one of normalized_bbox and bbox_score is null"),
        ([0, "bbox_observations", 1, "bbox_score"], "only one of normalized_bbox and bbox_score is null"),
        ([0, "bbox_observations", 2, "normalized_bbox"], "row 0 where only one of normalized_bbox and bbox_score"),
    ],
)
def test_video_value_errors(path: list[Any], message: str) -> None:
    replacement: Any = 0.5 if path == [0, "bbox_observations", 1, "bbox_score"] else None  # a gap frame
    body = video_rows_body(lambda rows: set_in(rows, path, replacement))
    with pytest.raises(Unavailable, match=message):
        decode_video(body)


def test_null_reported_in_the_right_row() -> None:
    def edit(rows: list[dict[str, Any]]) -> None:
        bare = rows[1]
        rows[:0] = [dict(bare, object_id=98), dict(bare, object_id=99)]
        rows[2]["categories"][0]["attributes"][1]["option_name"] = None

    with pytest.raises(Unavailable, match=r"option_name in row 2$"):
        decode_video(video_rows_body(edit))


def test_bbox_of_the_wrong_length() -> None:
    schema = retyped(["bbox_observations", "normalized_bbox"], pa.list_(pa.float32()))

    def edit(rows: list[dict[str, Any]]) -> None:
        rows.append(dict(copy.deepcopy(rows[0]), object_id=5))
        rows[2]["bbox_observations"][4]["normalized_bbox"] = [0.1, 0.2, 0.3]

    body = video_rows_body(edit, schema)
    with pytest.raises(Unavailable, match=r"normalized_bbox that is not 4 numbers in row 2$"):
        decode_video(body)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda rows: rows[1].update(bbox_observations=[]), "image object in row 1 has 0 bbox observations"),
        (lambda rows: rows[1].update(bbox_observations=None), "image object in row 1 has 0 bbox observations"),
        (
            lambda rows: rows[0]["bbox_observations"].append(rows[0]["bbox_observations"][0]),
            "image object in row 0 has 2 bbox observations, not exactly one",
        ),
        (
            lambda rows: rows[1]["bbox_observations"][0].update(normalized_bbox=None, bbox_score=None),
            "image object in row 1 has a gap frame",
        ),
        (
            lambda rows: rows[0]["categories"][0]["attributes"][1].update(timestamp_ranges=[]),
            "an attribute of the image object in row 0 has 0 timestamp ranges, not exactly one",
        ),
        (
            lambda rows: rows[0]["categories"][0]["attributes"][0]["timestamp_ranges"].append(
                rows[0]["categories"][0]["attributes"][0]["timestamp_ranges"][0]
            ),
            "an attribute of the image object in row 0 has 2 timestamp ranges, not exactly one",
        ),
        (lambda rows: rows[0]["categories"][0].update(category_id=None), r"null in categories\[\].category_id"),
        (lambda rows: rows[0]["bbox_observations"][0].update(bbox_score=None), "only one of normalized_bbox"),
    ],
)
def test_image_value_errors(edit: Callable[[list[dict[str, Any]]], None], message: str) -> None:
    with pytest.raises(Unavailable, match=message):
        decode_image(image_rows_body(edit))


def test_an_image_archive_is_a_fine_video() -> None:
    """Images are video rows at timestamp 0, so the video decoder takes them."""
    assert len(decode_video(image_archive()).objects) == 2


def test_a_video_with_gaps_is_not_an_image() -> None:
    with pytest.raises(Unavailable, match=r"bbox observations, not exactly one"):
        decode_image(video_archive())


# ---- frames per second ----


def test_frames_per_second_missing() -> None:
    with pytest.raises(Unavailable, match=r"^X-Frames-Per-Second header is missing on a video result$"):
        decode_video(video_archive(), fps=None)


@pytest.mark.parametrize("fps", ["", "0", "-5", "+5", "abc", "5.0", "1e3", "3_0", "٣", "9" * 30, 0, -1, True, 2.5])
def test_frames_per_second_not_a_positive_integer(fps: Any) -> None:
    with pytest.raises(Unavailable, match=r"^X-Frames-Per-Second header is not a positive integer: "):
        decode_video(video_archive(), fps=fps)


# ---- frame_timestamps.parquet ----


def test_frame_timestamps_not_parquet() -> None:
    members = members_of(video_archive())
    members[FRAME_TIMESTAMPS_MEMBER] = b"nope"
    with pytest.raises(Unavailable, match=r"^frame_timestamps.parquet is not valid parquet: "):
        decode_video(encode_archive(members))
    # An image never reads it.
    assert decode_image(
        encode_archive({**members, PREDICTIONS_MEMBER: members_of(image_archive())[PREDICTIONS_MEMBER]})
    )


def test_frame_timestamps_lacks_column() -> None:
    body = with_frame_timestamps(video_archive(), pa.table({"image_id": [0, 1]}))
    with pytest.raises(Unavailable, match=r"^frame_timestamps.parquet lacks column 'timestamp_microseconds'$"):
        decode_video(body)


def test_frame_timestamps_wrong_type() -> None:
    body = with_frame_timestamps(video_archive(), pa.table({"timestamp_microseconds": ["0", "1"]}))
    with pytest.raises(Unavailable, match=r"has the wrong type for 'timestamp_microseconds': expected an integer"):
        decode_video(body)


def test_frame_timestamps_null() -> None:
    body = with_frame_timestamps(video_archive(), pa.table({"timestamp_microseconds": [0, None, 2]}))
    with pytest.raises(Unavailable, match=r"^frame_timestamps.parquet has a null timestamp_microseconds in row 1$"):
        decode_video(body)


def test_frame_timestamps_image_id_is_ignored() -> None:
    table = pa.table({"timestamp_microseconds": [2, 1], "image_id": ["a", None]})
    assert decode_video(with_frame_timestamps(video_archive(), table)).frame_timestamps_microseconds == (1, 2)


# ---- the safety net ----


def test_unexpected_errors_are_wrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("surprise")

    monkeypatch.setattr(_results, "frame_timestamps", broken)
    with pytest.raises(Unavailable, match=r"^unexpected error decoding the results archive: KeyError") as caught:
        decode_video(video_archive())
    assert isinstance(caught.value.__cause__, KeyError)


def test_the_collector_is_restored_after_an_error() -> None:
    import gc

    assert gc.isenabled()
    with pytest.raises(Unavailable):
        decode_video(video_archive(), fps=None)
    with pytest.raises(Unavailable):
        decode_image(b"junk")
    assert gc.isenabled()
    gc.disable()
    try:
        decode_image(image_archive())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_zip_error_keeps_its_cause() -> None:
    with pytest.raises(Unavailable) as caught:
        decode_image(io.BytesIO(b"junk").getvalue())
    assert isinstance(caught.value.__cause__, zipfile.BadZipFile)


def test_null_in_a_dictionary_column() -> None:
    schema = retyped(["categories", "name"], pa.dictionary(pa.int8(), pa.string()))
    body = video_rows_body(lambda rows: set_in(rows, [0, "categories", 1, "name"], None), schema)
    with pytest.raises(Unavailable, match=r"null in categories\[\].name in row 0$"):
        decode_video(body)
