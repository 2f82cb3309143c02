"""The batch output file (Parquet or JSON Lines) and the rows it holds per media.

The file is written as `FILE.partial` while the job runs, appended to as
results arrive (row groups or lines). When the run ends, the results the
ledger journalled in earlier runs (and not redone in this one) are added and
the file is moved onto FILE: it holds exactly one row set per finished media,
however often the job was killed and resumed.
"""

from __future__ import annotations

import functools
import io
import itertools
import json
import os
import threading
from collections.abc import Callable, Container, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    import pyarrow as pa

    from ._items import PredictionResponse
    from ._ledger import Ledger

SUFFIXES = (".parquet", ".jsonl")
_ROW_GROUP_ROWS = 4096


@functools.cache
def batch_schema() -> pa.Schema:
    """The `to_arrow()` schema plus `status` ("done" or "failed") and `error`."""
    import pyarrow as pa

    from .._tables import results_schema

    return results_schema().append(pa.field("status", pa.string())).append(pa.field("error", pa.string()))


def result_rows(response: PredictionResponse | None, name: str, task_uuid: str | None, error: str | None) -> pa.Table:
    """A media's rows: its `to_arrow()` rows, or one row with null object columns
    when it has no objects or failed, so that every media appears."""
    import pyarrow as pa

    from .._tables import image_table, video_table
    from ..models import ClassificationPredictVideoResponse

    schema = batch_schema()
    if response is not None:
        if isinstance(response, ClassificationPredictVideoResponse):
            table = video_table(response, media_name=name)
        else:
            table = image_table(response, media_name=name)
        if table.num_rows:
            status = pa.array(["done"] * table.num_rows, pa.string())
            return table.append_column(schema.field("status"), status).append_column(
                schema.field("error"), pa.nulls(table.num_rows, pa.string())
            )
    return pa.Table.from_pylist([_objectless_row(name, task_uuid, error)], schema=schema)


def _objectless_row(name: str, task_uuid: str | None, error: str | None) -> dict[str, str | None]:
    """The one row of a media without objects (none detected, or it failed): object columns null."""
    row: dict[str, str | None] = dict.fromkeys(batch_schema().names)
    row.update(media_name=name, prediction_task_uuid=task_uuid, status="done" if error is None else "failed")
    row["error"] = error
    return row


@attrs.frozen
class Finished:
    """A media a batch job has finished with: its response, or the error that ended it."""

    media_id: int
    name: str
    uuid: str | None
    response: PredictionResponse | None
    error: str | None


def image_group_rows(group: Sequence[Finished]) -> list[pa.Table]:
    """Each image media's `result_rows`, built as one table for the group and sliced
    per media: Arrow's cost per table is paid once (about 0.25 ms a media otherwise)."""
    from .._tables import add_image_rows, rows_table
    from ..models import ClassificationPredictImageResponse

    schema = batch_schema()
    rows: dict[str, list[Any]] = {column: [] for column in schema.names}
    counts: list[int] = []
    for item in group:
        count = 0
        if isinstance(item.response, ClassificationPredictImageResponse):
            count = add_image_rows(rows, item.response, item.name)
            rows["status"] += ["done"] * count
            rows["error"] += [None] * count
        if not count:
            for column, value in _objectless_row(item.name, item.uuid, item.error).items():
                rows[column].append(value)
            count = 1
        counts.append(count)
    table = rows_table(rows, schema)
    starts = itertools.accumulate(counts, initial=0)
    return [table.slice(start, count) for start, count in zip(starts, counts, strict=False)]


def journal_image_group(ledger: Ledger, group: Sequence[Finished]) -> list[pa.Table]:
    """Journal finished image media in one ledger transaction, marking each done or failed; their rows."""
    tables = image_group_rows(group)
    ledger.finish_many([(item.media_id, to_ipc(rows), item.error) for item, rows in zip(group, tables, strict=True)])
    return tables


def journal_video(ledger: Ledger, finished: Finished) -> pa.Table:
    """Journal a finished video's rows in the ledger, marking it done or failed; its rows."""
    rows = result_rows(finished.response, finished.name, finished.uuid, finished.error)
    ledger.finish(finished.media_id, to_ipc(rows), finished.error)
    return rows


def to_ipc(table: pa.Table) -> bytes:
    """The table as Arrow IPC stream bytes (the ledger's journal)."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def from_ipc(data: bytes) -> pa.Table:
    """The table of `to_ipc` bytes."""
    import pyarrow as pa

    return pa.ipc.open_stream(data).read_all()


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """The output path, or ValueError unless it ends in .parquet or .jsonl."""
    output = Path(path)
    if output.suffix not in SUFFIXES:
        raise ValueError(f"the output must be a .parquet or a .jsonl file; got {str(output)!r}")
    if output.is_dir():
        raise ValueError(f"the output {str(output)!r} is a directory")
    return output


class OutputFile:
    """Appends row sets to `FILE.partial`; `close()` moves it onto FILE. Thread-safe."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = check_output_path(path)
        self.partial = self.path.with_name(self.path.name + ".partial")
        self._lock = threading.Lock()
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self._parquet: Any = None
        self._lines: io.BufferedWriter | None = None
        self.rows_written = 0
        self._written = MediaIds()  # the media whose rows this file holds
        if self.path.suffix == ".parquet":
            import pyarrow.parquet as pq

            self._parquet = pq.ParquetWriter(self.partial, batch_schema())
        else:
            self._lines = open(self.partial, "wb")  # noqa: SIM115 - closed by close()

    def write(self, media_id: int, table: pa.Table) -> None:
        """Append one media's rows (a Parquet row group holds several media)."""
        with self._lock:
            self._written.add(media_id)
            if self._lines is not None:
                self._lines.write(_json_lines(table))
                self._lines.flush()
            else:
                self._pending.append(table)
                self._pending_rows += table.num_rows
                if self._pending_rows >= _ROW_GROUP_ROWS:
                    self._flush()
            self.rows_written += table.num_rows

    def close(self, journal: Callable[[Container[int]], Iterable[tuple[int, bytes]]]) -> None:
        """Add the journalled rows of the media this file lacks, then move the file onto FILE.

        `journal` is the ledger's: given the media to skip, it yields the others' ids and rows.
        """
        for media_id, rows in journal(self._written):
            self.write(media_id, from_ipc(rows))
        with self._lock:
            if self._parquet is not None:
                self._flush()
                self._parquet.close()
                self._parquet = None
            if self._lines is not None:
                self._lines.close()
                self._lines = None
            os.replace(self.partial, self.path)

    def _flush(self) -> None:
        import pyarrow as pa

        if self._pending:
            self._parquet.write_table(pa.concat_tables(self._pending))
            self._pending, self._pending_rows = [], 0


class MediaIds:
    """A set of ledger media ids, one bit each: a million take 125 kB, not a set's 60 MB.

    The ids are the ledger's row ids: small, dense and positive.
    """

    def __init__(self) -> None:
        self._bits = bytearray()

    def add(self, media_id: int) -> None:
        """Add `media_id`."""
        if media_id < 0:
            raise ValueError(f"a media id is never negative; got {media_id}")
        byte, bit = divmod(media_id, 8)
        if byte >= len(self._bits):
            self._bits.extend(bytes(max(byte + 1, 2 * len(self._bits)) - len(self._bits)))
        self._bits[byte] |= 1 << bit

    def __contains__(self, media_id: object) -> bool:
        if not isinstance(media_id, int) or media_id < 0:
            return False
        byte, bit = divmod(media_id, 8)
        return byte < len(self._bits) and bool(self._bits[byte] >> bit & 1)


def _json_lines(table: pa.Table) -> bytes:
    return b"".join(json.dumps(row, ensure_ascii=False).encode() + b"\n" for row in table.to_pylist())
