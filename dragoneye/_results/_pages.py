"""The page headers of a parquet column chunk: what decoding it really costs.

The footer's counts are only claims: pyarrow decodes as many values as each
page header declares, so a footer that understates them gets past a budget
read from it. The headers are Thrift structs in the compact protocol; this
reads the few fields that bound the work (a page's type, its uncompressed
size and its number of values) and skips the rest.
"""

from __future__ import annotations

from typing import NamedTuple

from ._diagnostics import Unavailable

__all__ = ["ChunkCost", "chunk_cost"]

_DATA_PAGE, _DATA_PAGE_V2 = 0, 3
# Field ids of PageHeader (its data, dictionary and v2 data page structs), and
# of num_values within those structs.
_TYPE, _UNCOMPRESSED, _COMPRESSED = 1, 2, 3
_PAGE_STRUCTS = frozenset({5, 7, 8})
_NUM_VALUES = 1
# Compact protocol types.
_TRUE, _FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _MAP, _STRUCT = range(1, 13)
_MAX_DEPTH = 16


class ChunkCost(NamedTuple):
    """What a column chunk's pages declare: leaf values (data pages) and uncompressed bytes (all pages)."""

    values: int
    uncompressed_bytes: int


def chunk_cost(data: bytes, start: int, length: int) -> ChunkCost:
    """Add up the page headers of the column chunk at data[start:start + length]."""
    end = start + length
    if start < 0 or length < 0 or end > len(data):
        raise Unavailable(f"a column chunk lies outside the file (bytes {start} to {end} of {len(data)})")
    values = size = 0
    offset = start
    while offset < end:
        kind, uncompressed, compressed, count, offset = _page_header(data, offset, end)
        if compressed < 0 or uncompressed < 0 or count < 0:
            raise Unavailable("a page header declares a negative size or count")
        values += count if kind in (_DATA_PAGE, _DATA_PAGE_V2) else 0
        size += uncompressed
        offset += compressed
    return ChunkCost(values, size)


# The reader is plain functions over (data, offset, end), each returning the
# offset after what it read: a header is read on every decode, so it must be cheap.


def _page_header(data: bytes, offset: int, end: int) -> tuple[int, int, int, int, int]:
    """(page type, uncompressed size, compressed size, num_values, offset after the header)."""
    kind = uncompressed = compressed = None
    values = field = 0
    while True:
        header, offset = _byte(data, offset, end)
        if header == 0:
            break
        field, kind_of_field, offset = _field(header, field, data, offset, end)
        if kind_of_field == _I32 and field in (_TYPE, _UNCOMPRESSED, _COMPRESSED):
            number, offset = _zigzag(data, offset, end)
            if field == _TYPE:
                kind = number
            elif field == _UNCOMPRESSED:
                uncompressed = number
            else:
                compressed = number
        elif kind_of_field == _STRUCT and field in _PAGE_STRUCTS:
            values, offset = _num_values(data, offset, end)
        else:
            offset = _skip(kind_of_field, data, offset, end, 0)
    if kind is None or uncompressed is None or compressed is None:
        raise Unavailable("a page header lacks its type or sizes")
    return kind, uncompressed, compressed, values, offset


def _num_values(data: bytes, offset: int, end: int) -> tuple[int, int]:
    """num_values of a data or dictionary page header struct, and the offset after the struct."""
    values = field = 0
    while True:
        header, offset = _byte(data, offset, end)
        if header == 0:
            return values, offset
        field, kind_of_field, offset = _field(header, field, data, offset, end)
        if field == _NUM_VALUES and kind_of_field == _I32:
            values, offset = _zigzag(data, offset, end)
        else:
            offset = _skip(kind_of_field, data, offset, end, 1)


def _field(header: int, last: int, data: bytes, offset: int, end: int) -> tuple[int, int, int]:
    """(field id, type, offset) of a field whose header byte is `header`; `last` is the previous id."""
    delta, kind = header >> 4, header & 0x0F
    if delta:
        return last + delta, kind, offset
    field, offset = _zigzag(data, offset, end)
    return field, kind, offset


def _byte(data: bytes, offset: int, end: int) -> tuple[int, int]:
    if offset >= end:
        raise Unavailable("a page header runs past its column chunk")
    return data[offset], offset + 1


def _varint(data: bytes, offset: int, end: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if offset >= end:
            raise Unavailable("a page header runs past its column chunk")
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, offset
        shift += 7
        if shift > 63:
            raise Unavailable("a page header holds an overlong integer")


def _zigzag(data: bytes, offset: int, end: int) -> tuple[int, int]:
    """A signed integer (i16, i32, i64): a zigzag-encoded varint."""
    number, offset = _varint(data, offset, end)
    return (number >> 1) ^ -(number & 1), offset


def _advance(offset: int, count: int, end: int) -> int:
    if count < 0 or offset + count > end:
        raise Unavailable("a page header runs past its column chunk")
    return offset + count


def _skip(kind: int, data: bytes, offset: int, end: int, depth: int) -> int:
    """The offset after a value of compact-protocol type `kind`."""
    if depth > _MAX_DEPTH:
        raise Unavailable("a page header nests too deeply")
    if kind in (_TRUE, _FALSE):
        return offset
    if kind == _BYTE:
        return _advance(offset, 1, end)
    if kind in (_I16, _I32, _I64):
        return _varint(data, offset, end)[1]
    if kind == _DOUBLE:
        return _advance(offset, 8, end)
    if kind == _BINARY:
        length, offset = _varint(data, offset, end)
        return _advance(offset, length, end)
    if kind in (_LIST, _SET):
        header, offset = _byte(data, offset, end)
        count = header >> 4
        if count == 15:
            count, offset = _varint(data, offset, end)
        element = _BYTE if header & 0x0F in (_TRUE, _FALSE) else header & 0x0F
        for _ in range(count):
            offset = _skip(element, data, offset, end, depth + 1)
        return offset
    if kind == _MAP:
        count, offset = _varint(data, offset, end)
        if count:
            types, offset = _byte(data, offset, end)
            for _ in range(count):
                offset = _skip(types >> 4, data, offset, end, depth + 1)
                offset = _skip(types & 0x0F, data, offset, end, depth + 1)
        return offset
    if kind == _STRUCT:
        field = 0
        while True:
            header, offset = _byte(data, offset, end)
            if header == 0:
                return offset
            field, field_kind, offset = _field(header, field, data, offset, end)
            offset = _skip(field_kind, data, offset, end, depth + 1)
    raise Unavailable(f"a page header holds an unknown Thrift type {kind}")
