"""What decoding a parquet member may cost, judged from its footer before anything is read.

Parquet run-length encodes repeats: a file of a few kilobytes can declare
millions of rows. The footer says how
many rows, values (leaf slots, as nested lists store them) and uncompressed
bytes each column holds, so a member over budget is refused before anything
is materialised. The budget fits real results: the benchmark's largest
(500 objects tracked over 600 frames) has 500 rows, 1.7 million values and
2.6 MB of uncompressed pages, and takes about 140 MiB decoded. The values
allowed are the client's `max_result_values`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ._diagnostics import Unavailable

__all__ = ["MAX_ROWS", "MAX_UNCOMPRESSED_BYTES", "check_footer"]

MAX_ROWS = 100_000
"""Objects in one result."""
MAX_UNCOMPRESSED_BYTES = 64 << 20
"""Uncompressed page bytes of one parquet member: mostly names, held once each in Python."""


def check_footer(metadata: Any, member: str, columns: Collection[str], max_values: int) -> None:
    """Raise Unavailable if reading `columns` (top-level names) would pass the budget;
    `max_values` bounds the leaf values: every timestamp, coordinate, score, id and name."""
    values = size = 0
    for group_index in range(metadata.num_row_groups):
        group = metadata.row_group(group_index)
        for column_index in range(group.num_columns):
            chunk = group.column(column_index)
            if chunk.path_in_schema.split(".", 1)[0] in columns:
                values += chunk.num_values
                size += chunk.total_uncompressed_size
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
