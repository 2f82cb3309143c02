"""What decoding a parquet member may cost, judged before anything is read.

Parquet run-length encodes repeats: a file of a few kilobytes can hold
millions of rows or values. The footer declares how many rows, values (leaf
slots, as nested lists store them) and uncompressed bytes each column holds,
and each page's header declares its own; pyarrow decodes what the page
headers say, so both are counted and a member over budget is refused before
anything is materialised. The budget fits real results: the benchmark's
largest (500 objects tracked over 600 frames) has 500 rows, 1.7 million
values and 2.6 MB of uncompressed pages, and takes about 140 MiB decoded.
The values allowed are the client's `max_result_values`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ._diagnostics import Unavailable
from ._pages import chunk_cost

__all__ = ["MAX_ROWS", "MAX_UNCOMPRESSED_BYTES", "check_budget"]

MAX_ROWS = 100_000
"""Objects in one result."""
MAX_UNCOMPRESSED_BYTES = 64 << 20
"""Uncompressed page bytes of one parquet member: mostly names, held once each in Python."""


def check_budget(data: bytes, metadata: Any, member: str, columns: Collection[str], max_values: int) -> None:
    """Raise Unavailable if reading `columns` (top-level names) of the parquet file
    `data`, whose footer is `metadata`, would pass the budget; `max_values` bounds the
    leaf values: every timestamp, coordinate, score, id and name.

    Values and bytes are counted both as the footer declares them and as the
    page headers do: pyarrow decodes what the pages declare, whatever the footer says.
    """
    values = size = 0
    for group_index in range(metadata.num_row_groups):
        group = metadata.row_group(group_index)
        if group.num_rows == 0:  # pyarrow reads no page of it
            continue
        for column_index in range(group.num_columns):
            chunk = group.column(column_index)
            if chunk.path_in_schema.split(".", 1)[0] in columns:
                pages = chunk_cost(data, _chunk_start(chunk), chunk.total_compressed_size)
                values += max(chunk.num_values, pages.values)
                size += max(chunk.total_uncompressed_size, pages.uncompressed_bytes)
    for amount, limit, what, hint in (
        (metadata.num_rows, MAX_ROWS, "rows", ""),
        (values, max_values, "values", " (the client's max_result_values)"),
        (size, MAX_UNCOMPRESSED_BYTES, "bytes uncompressed", ""),
    ):
        if amount < 0:
            raise Unavailable(f"{member} declares a negative number of {what} ({amount})")
        if amount > limit:
            raise Unavailable(
                f"{member} is too large to decode: {amount:,} {what}, more than the {limit:,} allowed{hint}"
            )


def _chunk_start(chunk: Any) -> int:
    """Where pyarrow starts reading a column chunk: its dictionary page, if it has one, else its first data page."""
    start: int = chunk.data_page_offset
    dictionary = chunk.dictionary_page_offset
    if chunk.has_dictionary_page and dictionary is not None and 0 < dictionary < start:
        return int(dictionary)
    return start
