"""Results archives that are small on the wire and huge once decoded."""

from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dragoneye._wire import FRAME_TIMESTAMPS_MEMBER, PREDICTIONS_MEMBER, predictions_schema
from dragoneye.emulator.archive import encode_archive, encode_frame_timestamps


def _parquet(table: pa.Table, **options: object) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd", **options)
    return buffer.getvalue()


def _rows(schema: pa.Schema, rows: int, **columns: pa.Array) -> pa.Table:
    """A predictions table of `rows` rows: the given columns, every other list empty."""
    arrays = []
    for field in schema:
        if field.name in columns:
            arrays.append(columns[field.name])
        elif field.name == "object_id":
            arrays.append(pa.array([0] * rows, pa.int64()) if rows < 1000 else pa.nulls(rows, pa.int64()).fill_null(0))
        else:
            offsets = pa.array([0] * (rows + 1), pa.int32())
            arrays.append(pa.ListArray.from_arrays(offsets, pa.array([], field.type.value_type)))
    return pa.Table.from_arrays(arrays, schema=schema)


def _archive(predictions: bytes) -> bytes:
    return encode_archive({PREDICTIONS_MEMBER: predictions, FRAME_TIMESTAMPS_MEMBER: encode_frame_timestamps([0])})


@functools.cache
def many_rows(rows: int = 2_000_000) -> bytes:
    """Millions of objects with nothing in them, run-length encoded to a few kilobytes."""
    return _archive(_parquet(_rows(predictions_schema(), rows)))


@functools.cache
def many_values(observations: int = 3_000_000) -> bytes:
    """One object seen in millions of identical frames."""
    schema = predictions_schema()
    sighting_type = schema.field("bbox_observations").type.value_type
    one = pa.array(
        [{"timestamp_microseconds": 0, "normalized_bbox": [0.25, 0.25, 0.5, 0.5], "bbox_score": 0.5}], sighting_type
    )
    sightings = pa.ListArray.from_arrays(pa.array([0, observations], pa.int32()), one.take([0] * observations))
    return _archive(_parquet(_rows(schema, 1, bbox_observations=sightings)))


@functools.cache
def lying_footer(observations: int = 3_000_000, claimed: int = 1000) -> bytes:
    """many_values, with a footer that claims `claimed` values for each column the
    sightings fill: the page headers still hold them all, and pyarrow decodes those."""
    archive = zipfile.ZipFile(io.BytesIO(many_values(observations)))
    data = bytearray(archive.read(PREDICTIONS_MEMBER))
    length = int.from_bytes(data[-8:-4], "little")
    footer = bytes(data[-8 - length : -8])
    for real, claim in ((observations, claimed), (4 * observations, 4 * claimed)):
        footer = footer.replace(_varint(2 * real), _varint(2 * claim))  # zigzag: 2n for n >= 0
    lie = bytes(data[: -8 - length]) + footer + len(footer).to_bytes(4, "little") + b"PAR1"
    return _archive(lie)


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    return bytes([*out, value])


@functools.cache
def long_shared_name(categories: int = 100_000, length: int = 512 << 10) -> bytes:
    """One object in 100,000 categories sharing one half-megabyte name, as an arrow
    dictionary column: 0.5 MB that decoding the dictionary would turn into 50 GB."""
    schema = predictions_schema()
    category_type = schema.field("categories").type.value_type
    names = pa.DictionaryArray.from_arrays(pa.array([0] * categories, pa.int32()), pa.array(["n" * length]))
    attributes = pa.ListArray.from_arrays(
        pa.array([0] * (categories + 1), pa.int32()), pa.array([], category_type.field("attributes").type.value_type)
    )
    struct = pa.StructArray.from_arrays(
        [
            pa.array([1] * categories, pa.int64()),
            names,
            pa.array([0.5] * categories, pa.float32()),
            attributes,
        ],
        names=["category_id", "name", "score", "attributes"],
    )
    column = pa.ListArray.from_arrays(pa.array([0, categories], pa.int32()), struct)
    table = _rows(schema.set(3, pa.field("categories", pa.list_(struct.type))), 1, categories=column)
    return _archive(_parquet(table, dictionary_pagesize_limit=4 << 20))


@functools.cache
def deflated(size: int = 256 << 20) -> bytes:
    """A valid archive whose predictions.parquet is DEFLATEd: a few MB that inflate to `size` bytes."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open(PREDICTIONS_MEMBER, "w", force_zip64=True) as member,
    ):
        block = bytes(16 << 20)
        for _ in range(size // len(block)):
            member.write(block)
    return buffer.getvalue()


VIDEO = Path(__file__).parents[1] / "data" / "street.mp4"
