"""The page headers of a parquet member, read to bound what decoding costs: they
agree with honest footers, and a malformed one is refused, never misread."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dragoneye._results._budget import _chunk_start
from dragoneye._results._pages import ChunkCost, chunk_cost
from dragoneye._wire import FRAME_TIMESTAMPS_MEMBER, PREDICTIONS_MEMBER

from .archive_edits import members_of
from .errors_support import Unavailable
from .samples import image_archive, video_archive


def costs(data: bytes) -> list[tuple[int, ChunkCost]]:
    """(footer's num_values, page headers' cost) of every column chunk."""
    metadata = pq.ParquetFile(pa.BufferReader(data)).metadata
    found = []
    for group in (metadata.row_group(i) for i in range(metadata.num_row_groups)):
        for chunk in (group.column(i) for i in range(group.num_columns)):
            found.append((chunk.num_values, chunk_cost(data, _chunk_start(chunk), chunk.total_compressed_size)))
    return found


@pytest.mark.parametrize("member", [PREDICTIONS_MEMBER, FRAME_TIMESTAMPS_MEMBER])
def test_page_headers_agree_with_an_honest_footer(member: str) -> None:
    data = members_of(video_archive())[member]
    found = costs(data)
    assert found
    assert all(declared == pages.values and pages.uncompressed_bytes > 0 for declared, pages in found)


def test_page_headers_of_other_writers_settings() -> None:
    table = pq.read_table(pa.BufferReader(members_of(image_archive())[PREDICTIONS_MEMBER]))
    for options in (
        {"data_page_version": "2.0", "compression": "snappy"},
        {"use_dictionary": False, "write_statistics": False, "compression": "none"},
        {"data_page_size": 64, "write_page_checksum": True, "write_page_index": True},
    ):
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, **options)
        found = costs(sink.getvalue().to_pybytes())
        assert all(declared == pages.values for declared, pages in found), options


def header(*fields: bytes) -> bytes:
    """A PageHeader in the compact protocol: each field is (delta << 4 | type) then its value."""
    return b"".join(fields) + b"\x00"


DATA_PAGE = bytes([0x15, 0x00])  # field 1 (type), i32, zigzag 0: a data page
SIZES = bytes([0x15, 0x08, 0x15, 0x04])  # fields 2 and 3, i32: uncompressed 4, compressed 2
VALUES_7 = bytes([0x2C, 0x15, 0x0E, 0x00])  # field 5 (data_page_header), struct: num_values 7


def test_a_hand_made_header_is_read() -> None:
    page = header(DATA_PAGE, SIZES, VALUES_7) + b"xy"
    assert chunk_cost(page, 0, len(page)) == ChunkCost(values=7, uncompressed_bytes=4)
    assert chunk_cost(page * 3, 0, 3 * len(page)) == ChunkCost(values=21, uncompressed_bytes=12)


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (header(DATA_PAGE, SIZES, VALUES_7)[:-3], "runs past its column chunk"),
        (header(DATA_PAGE, SIZES, bytes([0x1F])), "unknown Thrift type 15"),
        (header(DATA_PAGE, bytes([0x15]) + b"\xff" * 11), "overlong integer"),
        (header(DATA_PAGE, bytes([0x15, 0x03, 0x15, 0x04]), VALUES_7), "negative size or count"),
        (header(DATA_PAGE, VALUES_7), "lacks its type or sizes"),
        (header(DATA_PAGE, SIZES, bytes([0x6C]) * 20), "nests too deeply"),
        (header(DATA_PAGE, SIZES, bytes([0x68, 0x7F])), "runs past its column chunk"),  # a binary longer than all
    ],
    ids=["truncated", "unknown-type", "overlong-varint", "negative", "no-sizes", "deep", "long-binary"],
)
def test_a_malformed_header_is_refused(page: bytes, message: str) -> None:
    with pytest.raises(Unavailable, match=message):
        chunk_cost(page + b"\x00" * 8, 0, len(page))


def test_a_chunk_outside_the_file_is_refused() -> None:
    with pytest.raises(Unavailable, match=r"a column chunk lies outside the file \(bytes 5 to 20 of 10\)"):
        chunk_cost(b"\x00" * 10, 5, 15)
