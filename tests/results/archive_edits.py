"""Taking results archives apart and putting them back together, for tests that edit them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from dragoneye._wire import FRAME_TIMESTAMPS_MEMBER, PREDICTIONS_MEMBER, predictions_schema
from dragoneye.emulator.archive import encode_archive


def members_of(body: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_with(members: Mapping[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read_table(data: bytes) -> pa.Table:
    return pq.read_table(pa.BufferReader(data))


def parquet_of(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return bytes(sink.getvalue().to_pybytes())


def with_predictions(body: bytes, table: pa.Table | dict[str, Any]) -> bytes:
    """`body` with predictions.parquet replaced by `table` (or rows to build it from)."""
    members = members_of(body)
    if isinstance(table, dict):
        table = pa.table(table)
    members[PREDICTIONS_MEMBER] = parquet_of(table)
    return encode_archive(members)


def with_frame_timestamps(body: bytes, table: pa.Table) -> bytes:
    members = members_of(body)
    members[FRAME_TIMESTAMPS_MEMBER] = parquet_of(table)
    return encode_archive(members)


def rows_of(body: bytes) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = read_table(members_of(body)[PREDICTIONS_MEMBER]).to_pylist()
    return rows


def retyped(path: list[str], new_type: pa.DataType) -> pa.Schema:
    """predictions_schema() with the field at `path` (struct and list levels by field name) retyped."""

    def rebuild(data_type: pa.DataType, rest: list[str]) -> pa.DataType:
        if not rest:
            return new_type
        if pa.types.is_list(data_type):
            return pa.list_(rebuild(data_type.value_type, rest))
        fields = [
            pa.field(field.name, rebuild(field.type, rest[1:])) if field.name == rest[0] else field
            for field in data_type
        ]
        return pa.struct(fields)

    schema = predictions_schema()
    top = schema.get_field_index(path[0])
    return schema.set(top, pa.field(path[0], rebuild(schema.field(top).type, path[1:])))
