"""Predictions of the wrong schema or with bad values raise PredictionTaskResultsUnavailableError naming the row."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest

from dragoneye._wire import PREDICTIONS_MEMBER, predictions_schema

from .archive_edits import members_of, read_table, retyped, with_predictions
from .errors_support import (
    Unavailable,
    cast_body,
    decode_image,
    decode_video,
    image_rows_body,
    raises_both,
    set_in,
    video_rows_body,
)
from .samples import image_archive, video_archive

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
