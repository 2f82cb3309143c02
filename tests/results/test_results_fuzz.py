"""Fuzzing: whatever the body, the decoders succeed or raise PredictionTaskResultsUnavailableError.

Every failure must also be diagnosed by name: the catch-all "unexpected error"
net of the decoder must never be what reports it.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dragoneye._results import decode_image_results, decode_video_results
from dragoneye._wire import FRAME_TIMESTAMPS_MEMBER, PREDICTIONS_MEMBER, predictions_schema
from dragoneye.emulator.archive import encode_archive, encode_results
from dragoneye.types.exception import PredictionTaskResultsUnavailableError

from .archive_edits import members_of, parquet_of, read_table, retyped, rows_of
from .samples import image_archive, random_video_objects, video_archive

BASES = [
    video_archive(),
    image_archive(),
    encode_results([], []),
    encode_results(*random_video_objects(random.Random(7), objects=3, frames=6)),
]
FPS_VALUES = ["5", None, "0", "x", 3]
REPLACEMENT_TYPES = [
    pa.string(),
    pa.large_string(),
    pa.binary(),
    pa.int32(),
    pa.uint64(),
    pa.float64(),
    pa.float16(),
    pa.bool_(),
    pa.null(),
    pa.list_(pa.int64()),
    pa.large_list(pa.float64()),
    pa.list_(pa.float32(), 4),
    pa.list_(pa.float64(), 2),
    pa.struct([("x", pa.int64())]),
    pa.list_(pa.struct([("y", pa.string())])),
    pa.dictionary(pa.int32(), pa.string()),
]


def decode_both(body: bytes, fps: Any) -> None:
    """Run both decoders on `body`; only a named PredictionTaskResultsUnavailableError may come out."""
    for decode in (
        lambda: decode_video_results(body, prediction_task_uuid="t", original_file_name=None, frames_per_second=fps),
        lambda: decode_image_results(body, prediction_task_uuid="t", original_file_name="f"),
    ):
        try:
            decode()
        except PredictionTaskResultsUnavailableError as error:
            assert not str(error).startswith("unexpected error"), str(error)
            assert str(error)


# ---- mutations ----


@st.composite
def byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """Flip, truncate, insert or delete bytes."""
    buffer = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "overwrite"]))
        at = draw(st.integers(0, len(buffer)))
        if kind == "flip" and at < len(buffer):
            buffer[at] ^= draw(st.integers(1, 255))
        elif kind == "truncate":
            del buffer[at:]
        elif kind == "insert":
            buffer[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del buffer[at : at + draw(st.integers(1, 64))]
        elif kind == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=8))
            buffer[at : at + len(chunk)] = chunk
    return bytes(buffer)


@st.composite
def member_mutation(draw: st.DrawFn, body: bytes) -> bytes:
    """A valid ZIP whose members are damaged, swapped, renamed or duplicated."""
    members = members_of(body)
    kind = draw(st.sampled_from(["damage", "swap", "rename", "drop", "foreign"]))
    names = sorted(members)
    name = draw(st.sampled_from(names))
    if kind == "damage":
        members[name] = draw(byte_mutation(members[name]))
    elif kind == "swap" and len(names) == 2:
        members = {
            PREDICTIONS_MEMBER: members[FRAME_TIMESTAMPS_MEMBER],
            FRAME_TIMESTAMPS_MEMBER: members[PREDICTIONS_MEMBER],
        }
    elif kind == "rename":
        members[draw(st.sampled_from(["Predictions.parquet", "predictions.parquet/", FRAME_TIMESTAMPS_MEMBER]))] = (
            members.pop(name)
        )
    elif kind == "drop":
        del members[name]
    else:
        members[name] = draw(
            st.sampled_from([b"", b"PAR1", image_archive(), members_of(image_archive()).get(name, b"")])
        )
    return encode_archive(members)


def schema_paths() -> list[list[str]]:
    paths: list[list[str]] = []

    def walk(data_type: pa.DataType, path: list[str]) -> None:
        paths.append(path)
        if pa.types.is_list(data_type):
            walk(data_type.value_type, path)
        elif pa.types.is_struct(data_type):
            for field in data_type:
                walk(field.type, [*path, field.name])

    for field in predictions_schema():
        walk(field.type, [field.name])
    return paths


SCHEMA_PATHS = schema_paths()


@st.composite
def schema_mutation(draw: st.DrawFn, body: bytes) -> bytes:
    """predictions.parquet rewritten with one field of another type."""
    table = read_table(members_of(body)[PREDICTIONS_MEMBER])
    schema = retyped(draw(st.sampled_from(SCHEMA_PATHS)), draw(st.sampled_from(REPLACEMENT_TYPES)))
    try:
        table = table.cast(schema)
    except pa.ArrowException:
        table = pa.Table.from_arrays([pa.nulls(len(table), field.type) for field in schema], schema=schema)
    members = members_of(body)
    members[PREDICTIONS_MEMBER] = parquet_of(table)
    return encode_archive(members)


def value_slots(value: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) in nested rows."""
    slots: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        for key, child in value.items():
            slots.append((value, key))
            slots.extend(value_slots(child))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            slots.append((value, index))
            slots.extend(value_slots(child))
    return slots


@st.composite
def value_mutation(draw: st.DrawFn, body: bytes) -> bytes:
    """predictions.parquet with a value nulled, a list grown or shrunk, or a number changed."""
    rows = copy.deepcopy(rows_of(body))
    for _ in range(draw(st.integers(1, 3))):
        slots = [slot for row in rows for slot in value_slots(row)]  # a row itself cannot be null
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        value = container[key]
        kind = draw(st.sampled_from(["null", "grow", "shrink", "number"]))
        if kind == "null":
            container[key] = None
        elif kind == "grow" and isinstance(value, list) and value:
            value.append(copy.deepcopy(value[0]))
        elif kind == "shrink" and isinstance(value, list) and value:
            value.pop()
        elif kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
            container[key] = draw(st.integers(-(2**63), 2**63 - 1) | st.floats(width=32))
    try:
        table = pa.Table.from_pylist(rows, schema=predictions_schema())
    except (pa.ArrowException, OverflowError, TypeError):
        try:
            table = pa.Table.from_pylist(rows)  # whatever types pyarrow infers
        except (pa.ArrowException, OverflowError, TypeError):
            return body
    members = members_of(body)
    members[PREDICTIONS_MEMBER] = parquet_of(table)
    return encode_archive(members)


@st.composite
def mutated_archive(draw: st.DrawFn) -> bytes:
    body = draw(st.sampled_from(BASES))
    mutation = draw(st.sampled_from([byte_mutation, member_mutation, schema_mutation, value_mutation]))
    mutated: bytes = draw(mutation(body))
    return mutated


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(
    body=st.binary(max_size=512) | st.binary(max_size=256).map(lambda tail: b"PK\x03\x04" + tail),
    fps=st.sampled_from(FPS_VALUES),
)
def test_random_bytes(body: bytes, fps: Any) -> None:
    decode_both(body, fps)


@FUZZ
@given(body=mutated_archive(), fps=st.sampled_from(FPS_VALUES))
def test_mutated_archives(body: bytes, fps: Any) -> None:
    decode_both(body, fps)
