"""Reading the parquet members: the schema checked up front, then flat columns
whose bad values are reported with the row (object) that holds them.

pyarrow is imported inside the functions so that importing the SDK stays fast.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .._wire import FRAME_TIMESTAMPS_MEMBER, PREDICTIONS_MEMBER, predictions_schema
from ..models import NormalizedBbox
from ._budget import check_budget
from ._diagnostics import Unavailable, describe, first_null, row_of, short

__all__ = ["CategoryColumns", "Predictions", "frame_timestamps"]

_BBOX_SIZE = 4


def frame_timestamps(data: bytes, max_values: int) -> list[int]:
    """The sorted timestamps of frame_timestamps.parquet."""
    import pyarrow as pa

    member = FRAME_TIMESTAMPS_MEMBER
    parquet, schema = _open_parquet(data, member, ["timestamp_microseconds"], max_values)
    _check_column(schema, "timestamp_microseconds", pa.int64(), member)
    (column,) = _read_columns(parquet, member, ["timestamp_microseconds"])
    if column.null_count:
        raise Unavailable(f"{member} has a null timestamp_microseconds in row {first_null(column)}")
    return sorted(column.to_pylist())


class CategoryColumns(NamedTuple):
    """The flat columns of categories and attributes, and the offsets that nest them."""

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


class Predictions:
    """The columns of predictions.parquet, checked against the schema up front.

    Each reader takes `chain`, the offsets of the enclosing lists (outermost
    first), to name the row of a bad value.
    """

    MEMBER = PREDICTIONS_MEMBER

    def __init__(self, data: bytes, max_values: int) -> None:
        expected = predictions_schema()
        parquet, schema = _open_parquet(data, self.MEMBER, expected.names, max_values)
        self.max_values = max_values
        for field in expected:
            _check_column(schema, field.name, field.type, self.MEMBER)
        self.columns = dict(zip(expected.names, _read_columns(parquet, self.MEMBER, expected.names), strict=True))
        ids = self.columns["object_id"]
        if ids.null_count:
            raise Unavailable(f"{self.MEMBER} has a null object_id in row {first_null(ids)}")
        self.object_ids: list[int] = ids.to_pylist()

    def flatten(self, path: str, array: Any, chain: list[list[int]]) -> tuple[list[int], Any]:
        """Offsets (from 0) into the flat struct values of a list array, and those values."""
        import pyarrow.compute as pc

        offsets: list[int] = array.offsets.to_pylist()
        start, end = offsets[0], offsets[-1]
        if end - start > self.max_values:  # more than the footer declared: it lied
            raise Unavailable(f"{self.MEMBER} has {end - start:,} entries in {path!r}, more than {self.max_values:,}")
        values = array.values.slice(start, end - start)
        if start:
            offsets = [offset - start for offset in offsets]
        # A null list reads as empty, so it must span no values; pyarrow's
        # parquet reader guarantees that, but say so rather than mis-slice.
        if array.null_count and (pc.sum(pc.list_value_length(array)).as_py() or 0) != end - start:
            raise Unavailable(f"{self.MEMBER} has inconsistent list offsets in {path!r}")
        if values.null_count:
            row = row_of(first_null(values), [*chain, offsets])
            raise Unavailable(f"{self.MEMBER} has a null element in {path!r} in row {row}")
        return offsets, values

    def values(self, struct: Any, name: str, path: str, chain: list[list[int]]) -> list[Any]:
        """A required field of a flat struct array as Python values."""
        import pyarrow as pa

        column = struct.field(name)
        if pa.types.is_dictionary(column.type):
            return self._words(column, f"{path}.{name}", chain)
        if column.null_count:
            row = row_of(first_null(column), chain)
            raise Unavailable(f"{self.MEMBER} has a null in {path}.{name} in row {row}")
        values: list[Any] = column.to_pylist()
        return values

    def _words(self, column: Any, path: str, chain: list[list[int]]) -> list[Any]:
        """A dictionary column as Python values, each distinct one made once.

        Decoding the dictionary in arrow would copy a string once per row that
        names it: a long name shared by a million rows would take gigabytes.
        """
        indices = column.indices
        if indices.null_count:
            raise Unavailable(f"{self.MEMBER} has a null in {path} in row {row_of(first_null(indices), chain)}")
        words = column.dictionary.to_pylist()
        found = [words[index] for index in indices.to_pylist()]
        if None in words and None in found:  # a null held in the dictionary itself
            raise Unavailable(f"{self.MEMBER} has a null in {path} in row {row_of(found.index(None), chain)}")
        return found

    def boxes(self, observations: Any, chain: list[list[int]]) -> tuple[list[NormalizedBbox], list[float | None]]:
        """Each observation's box and score; the score is None exactly on a gap frame."""
        import pyarrow as pa
        import pyarrow.compute as pc

        path = "bbox_observations[]"
        bbox = observations.field("normalized_bbox")
        score = observations.field("bbox_score")
        if not pa.types.is_fixed_size_list(bbox.type):
            bad = pc.not_equal(pc.list_value_length(bbox), _BBOX_SIZE)
            if pc.any(bad).as_py():
                row = row_of(int(pc.index(bad, True).as_py()), chain)
                raise Unavailable(f"{self.MEMBER} has a normalized_bbox that is not {_BBOX_SIZE} numbers in row {row}")
            bbox = bbox.cast(pa.list_(bbox.type.value_type, _BBOX_SIZE))
        if (bbox.null_count or score.null_count) and not pc.all(pc.equal(bbox.is_null(), score.is_null())).as_py():
            row = row_of(int(pc.index(pc.not_equal(bbox.is_null(), score.is_null()), True).as_py()), chain)
            raise Unavailable(
                f"{self.MEMBER} has a {path} entry in row {row} where only one of"
                " normalized_bbox and bbox_score is null"
            )
        if bbox.flatten().null_count:  # flatten() skips the null boxes of gap frames
            raise Unavailable(f"{self.MEMBER} has a normalized_bbox with a null coordinate")
        flat = bbox.values.slice(bbox.offset * _BBOX_SIZE, len(bbox) * _BBOX_SIZE).to_pylist()
        coordinates = iter(flat)
        boxes: list[NormalizedBbox] = list(zip(coordinates, coordinates, coordinates, coordinates, strict=False))
        scores: list[float | None] = score.to_pylist()
        return boxes, scores

    def category_columns(self) -> CategoryColumns:
        """The flat columns of categories and attributes, and the offsets that nest them."""
        path = "categories[]"
        cat_offsets, cats = self.flatten("categories", self.columns["categories"], [])
        chain = [cat_offsets]
        ids = self.values(cats, "category_id", path, chain)
        names = self.values(cats, "name", path, chain)
        scores = self.values(cats, "score", path, chain)

        path = "categories[].attributes[]"
        attr_offsets, attrs = self.flatten("categories[].attributes", cats.field("attributes"), chain)
        chain = [cat_offsets, attr_offsets]
        identities = list(
            zip(
                self.values(attrs, "attribute_id", path, chain),
                self.values(attrs, "attribute_name", path, chain),
                self.values(attrs, "option_id", path, chain),
                self.values(attrs, "option_name", path, chain),
                strict=True,
            )
        )
        range_offsets, ranges = self.flatten(
            "categories[].attributes[].timestamp_ranges", attrs.field("timestamp_ranges"), chain
        )
        return CategoryColumns(cat_offsets, ids, names, scores, attr_offsets, identities, range_offsets, ranges)


def _open_parquet(data: bytes, member: str, columns: list[str], max_values: int) -> tuple[Any, Any]:
    """The parquet file and its arrow schema, from the footer alone, once the
    footer shows that reading `columns` fits the decoding budget."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(pa.BufferReader(data))
        check_budget(data, parquet.metadata, member, columns, max_values)
        schema = parquet.schema_arrow
    except Unavailable:
        raise
    except Exception as exc:
        raise Unavailable(f"{member} is not valid parquet: {describe(exc)}") from exc
    return parquet, schema


def _read_columns(parquet: Any, member: str, names: list[str]) -> list[Any]:
    """The named columns, each as one contiguous array."""
    try:
        # A member is small: arrow's thread pool costs more than it saves (0.2 ms a
        # decode). With it, one bench run of 32 decoding threads aborted at exit
        # ("terminate called without an active exception"); none in six without.
        table = parquet.read(columns=names, use_threads=False)
        return [table.column(name).combine_chunks() for name in names]
    except Exception as exc:
        raise Unavailable(f"{member} is not valid parquet: {describe(exc)}") from exc


def _check_column(schema: Any, name: str, expected: Any, member: str) -> None:
    found = schema.get_all_field_indices(name)
    if not found:
        raise Unavailable(f"{member} lacks column {name!r}")
    if len(found) > 1:
        raise Unavailable(f"{member} has more than one column {name!r}")
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
        raise Unavailable(f"{member} has the wrong type for {path!r}: expected {want}, got {short(str(actual))}")
    if types.is_struct(expected):
        for field in expected:
            found = actual.get_all_field_indices(field.name)
            child = f"{path}.{field.name}"
            if not found:
                raise Unavailable(f"{member} lacks field {child!r}")
            if len(found) > 1:
                raise Unavailable(f"{member} has more than one field {child!r}")
            _check_type(actual.field(found[0]).type, field.type, child, member)
    elif types.is_list(expected) or types.is_fixed_size_list(expected):
        _check_type(actual.value_type, expected.value_type, path + "[]", member)
