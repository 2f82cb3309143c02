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

_DATA_PAGE, _DICTIONARY_PAGE, _DATA_PAGE_V2 = 0, 2, 3
# Field ids of PageHeader, and of num_values within its page-type structs.
_TYPE, _UNCOMPRESSED, _COMPRESSED = 1, 2, 3
_PAGE_STRUCTS = {5: _DATA_PAGE, 7: _DICTIONARY_PAGE, 8: _DATA_PAGE_V2}
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
        reader = _Reader(data, offset, end)
        page = reader.page_header()
        if page.compressed < 0 or page.uncompressed < 0 or page.values < 0:
            raise Unavailable("a page header declares a negative size or count")
        values += page.values if page.kind in (_DATA_PAGE, _DATA_PAGE_V2) else 0
        size += page.uncompressed
        offset = reader.offset + page.compressed
    return ChunkCost(values, size)


class _Page(NamedTuple):
    kind: int
    uncompressed: int
    compressed: int
    values: int


class _Reader:
    """Reads the compact protocol from data[offset:end]."""

    def __init__(self, data: bytes, offset: int, end: int) -> None:
        self._data, self.offset, self._end = data, offset, end

    def page_header(self) -> _Page:
        kind = uncompressed = compressed = None
        values = 0
        for field, kind_of_field in self._fields():
            if field == _TYPE and kind_of_field == _I32:
                kind = self._int()
            elif field == _UNCOMPRESSED and kind_of_field == _I32:
                uncompressed = self._int()
            elif field == _COMPRESSED and kind_of_field == _I32:
                compressed = self._int()
            elif field in _PAGE_STRUCTS and kind_of_field == _STRUCT:
                values = self._num_values()
            else:
                self._skip(kind_of_field, 0)
        if kind is None or uncompressed is None or compressed is None:
            raise Unavailable("a page header lacks its type or sizes")
        return _Page(kind, uncompressed, compressed, values)

    def _num_values(self) -> int:
        values = 0
        for field, kind_of_field in self._fields():
            if field == _NUM_VALUES and kind_of_field == _I32:
                values = self._int()
            else:
                self._skip(kind_of_field, 1)
        return values

    def _fields(self) -> _FieldIterator:
        return _FieldIterator(self)

    def byte(self) -> int:
        if self.offset >= self._end:
            raise Unavailable("a page header runs past its column chunk")
        value = self._data[self.offset]
        self.offset += 1
        return value

    def varint(self) -> int:
        value = shift = 0
        while True:
            byte = self.byte()
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7
            if shift > 63:
                raise Unavailable("a page header holds an overlong integer")

    def _int(self) -> int:
        value = self.varint()
        return (value >> 1) ^ -(value & 1)  # zigzag

    def _advance(self, count: int) -> None:
        if count < 0 or self.offset + count > self._end:
            raise Unavailable("a page header runs past its column chunk")
        self.offset += count

    def _skip(self, kind: int, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise Unavailable("a page header nests too deeply")
        if kind in (_TRUE, _FALSE):
            return
        if kind == _BYTE:
            self._advance(1)
        elif kind in (_I16, _I32, _I64):
            self.varint()
        elif kind == _DOUBLE:
            self._advance(8)
        elif kind == _BINARY:
            self._advance(self.varint())
        elif kind in (_LIST, _SET):
            header = self.byte()
            count = header >> 4 if header >> 4 != 15 else self.varint()
            for _ in range(count):
                self._skip(_BYTE if header & 0x0F in (_TRUE, _FALSE) else header & 0x0F, depth + 1)
        elif kind == _MAP:
            count = self.varint()
            if count:
                types = self.byte()
                for _ in range(count):
                    self._skip(types >> 4, depth + 1)
                    self._skip(types & 0x0F, depth + 1)
        elif kind == _STRUCT:
            for _, field_kind in self._fields():
                self._skip(field_kind, depth + 1)
        else:
            raise Unavailable(f"a page header holds an unknown Thrift type {kind}")


class _FieldIterator:
    """The (field id, type) of each field of a struct, up to its stop byte."""

    def __init__(self, reader: _Reader) -> None:
        self._reader, self._last = reader, 0

    def __iter__(self) -> _FieldIterator:
        return self

    def __next__(self) -> tuple[int, int]:
        header = self._reader.byte()
        if header == 0:
            raise StopIteration
        delta, kind = header >> 4, header & 0x0F
        if delta:
            self._last += delta
        else:
            value = self._reader.varint()
            self._last = (value >> 1) ^ -(value & 1)
        return self._last, kind
