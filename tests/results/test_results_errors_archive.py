"""Malformed archives, parquet files and frame data raise PredictionTaskResultsUnavailableError naming what is wrong."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pyarrow as pa
import pytest

from dragoneye import _results
from dragoneye._results import _archive, _budget, decode_image_results, decode_video_results
from dragoneye._wire import FRAME_TIMESTAMPS_MEMBER, PREDICTIONS_MEMBER
from dragoneye.emulator.archive import encode_archive

from .archive_edits import members_of, retyped, with_frame_timestamps, zip_with
from .errors_support import (
    DECODERS,
    Unavailable,
    decode_image,
    decode_video,
    raises_both,
    set_in,
    video_rows_body,
)
from .samples import image_archive, video_archive

# ---- the archive ----


@pytest.mark.parametrize(
    "body",
    [b"", b"not a zip", b"PK\x03\x04" + b"\x00" * 40, b"PK\x05\x06" + b"\x00" * 18, video_archive()[:-30]],
    ids=["empty", "text", "local-header", "empty-directory-garbage", "truncated"],
)
def test_not_a_zip(body: bytes) -> None:
    message = "results archive is not a valid ZIP|results archive lacks predictions.parquet"
    raises_both(body, message)


def test_lacks_predictions() -> None:
    members = members_of(video_archive())
    del members[PREDICTIONS_MEMBER]
    raises_both(encode_archive(members), "^results archive lacks predictions.parquet$")
    raises_both(encode_archive({}), "^results archive lacks predictions.parquet$")
    raises_both(encode_archive({"dir/predictions.parquet": b""}), "lacks predictions.parquet")


def test_corrupt_member_data_fails_crc() -> None:
    body = bytearray(video_archive())
    offset = body.index(b"PAR1") + 100  # inside the stored predictions.parquet
    body[offset] ^= 0xFF
    raises_both(bytes(body), "not a valid ZIP: BadZipFile: Bad CRC-32")


def test_unsupported_compression() -> None:
    body = zip_with(members_of(video_archive()), compression=zipfile.ZIP_BZIP2)
    raises_both(body, "member predictions.parquet uses unsupported compression 12")


def test_member_that_inflates_too_far(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_archive, "_MIN_INFLATE_LIMIT", 1 << 20)
    body = zip_with({PREDICTIONS_MEMBER: b"\x00" * (8 << 20)}, compression=zipfile.ZIP_DEFLATED)
    assert len(body) < 100_000
    raises_both(body, r"member predictions.parquet inflates to more than \d+ bytes")


def test_member_with_a_lying_size_is_still_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The chunked read does not trust the declared size of a deflated member."""
    monkeypatch.setattr(_archive, "_MIN_INFLATE_LIMIT", 1 << 20)
    body = bytearray(zip_with({PREDICTIONS_MEMBER: b"\x00" * (8 << 20)}, compression=zipfile.ZIP_DEFLATED))
    central = body.rindex(b"PK\x01\x02")
    for at in (22, central + 24):  # the uncompressed size in the local header and the central directory
        assert body[at : at + 4] == (8 << 20).to_bytes(4, "little")
        body[at : at + 4] = (100).to_bytes(4, "little")
    for decode in DECODERS:
        with pytest.raises(Unavailable, match=r"not a valid ZIP|inflates to more than"):
            decode(bytes(body))


# ---- predictions.parquet as parquet ----


@pytest.mark.parametrize(
    "data", [b"", b"PAR1", b"PAR1 garbage PAR1", members_of(video_archive())[PREDICTIONS_MEMBER][:-9]]
)
def test_predictions_not_parquet(data: bytes) -> None:
    raises_both(encode_archive({PREDICTIONS_MEMBER: data}), "^predictions.parquet is not valid parquet: ")


def test_predictions_page_corrupted() -> None:
    data = bytearray(members_of(video_archive())[PREDICTIONS_MEMBER])
    for at in range(8, len(data) // 2, 97):
        data[at] ^= 0x5A
    raises_both(encode_archive({PREDICTIONS_MEMBER: bytes(data)}), "^predictions.parquet is not valid parquet: ")


@pytest.mark.parametrize(("limit", "what"), [("MAX_ROWS", "rows"), ("MAX_UNCOMPRESSED_BYTES", "bytes uncompressed")])
def test_predictions_over_the_decoding_budget(monkeypatch: pytest.MonkeyPatch, limit: str, what: str) -> None:
    monkeypatch.setattr(_budget, limit, 1)
    raises_both(
        video_archive(), rf"^predictions.parquet is too large to decode: [\d,]+ {what}, more than the 1 allowed$"
    )


def test_predictions_over_the_values_allowed() -> None:
    body = video_archive()
    values = decode_values(body)
    decode_video_results(
        body, prediction_task_uuid="t", original_file_name=None, frames_per_second=5, max_values=values
    )
    for decode in (decode_video_results, decode_image_results):
        options: dict[str, Any] = {"frames_per_second": 5} if decode is decode_video_results else {}
        with pytest.raises(
            Unavailable,
            match=rf"^predictions.parquet is too large to decode: {values:,} values,"
            rf" more than the {values - 1:,} allowed \(the client's max_result_values\)$",
        ):
            decode(body, prediction_task_uuid="t", original_file_name=None, max_values=values - 1, **options)


def test_frame_timestamps_over_the_values_allowed() -> None:
    frames = pa.table({"timestamp_microseconds": list(range(200))})
    body = with_frame_timestamps(image_archive(), frames)
    assert decode_values(body) < 199  # only the frames are over
    with pytest.raises(
        Unavailable, match=r"^frame_timestamps.parquet is too large to decode: 200 values, more than the 199"
    ):
        decode_video_results(
            body, prediction_task_uuid="t", original_file_name=None, frames_per_second=5, max_values=199
        )
    assert len(decode_video(body).frame_timestamps_microseconds) == 200


def decode_values(body: bytes) -> int:
    """The values of predictions.parquet in `body`, as its footer declares them."""
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(pa.BufferReader(members_of(body)[PREDICTIONS_MEMBER])).metadata
    groups = [metadata.row_group(i) for i in range(metadata.num_row_groups)]
    return sum(group.column(c).num_values for group in groups for c in range(group.num_columns))


# ---- frames per second ----


def test_frames_per_second_missing() -> None:
    with pytest.raises(Unavailable, match=r"^X-Frames-Per-Second header is missing on a video result$"):
        decode_video(video_archive(), fps=None)


@pytest.mark.parametrize("fps", ["", "0", "-5", "+5", "abc", "5.0", "1e3", "3_0", "٣", "9" * 30, 0, -1, True, 2.5])
def test_frames_per_second_not_a_positive_integer(fps: Any) -> None:
    with pytest.raises(Unavailable, match=r"^X-Frames-Per-Second header is not a positive integer: "):
        decode_video(video_archive(), fps=fps)


# ---- frame_timestamps.parquet ----


def test_frame_timestamps_not_parquet() -> None:
    members = members_of(video_archive())
    members[FRAME_TIMESTAMPS_MEMBER] = b"nope"
    with pytest.raises(Unavailable, match=r"^frame_timestamps.parquet is not valid parquet: "):
        decode_video(encode_archive(members))
    # An image never reads it.
    assert decode_image(
        encode_archive({**members, PREDICTIONS_MEMBER: members_of(image_archive())[PREDICTIONS_MEMBER]})
    )


def test_frame_timestamps_lacks_column() -> None:
    body = with_frame_timestamps(video_archive(), pa.table({"image_id": [0, 1]}))
    with pytest.raises(Unavailable, match=r"^frame_timestamps.parquet lacks column 'timestamp_microseconds'$"):
        decode_video(body)


def test_frame_timestamps_wrong_type() -> None:
    body = with_frame_timestamps(video_archive(), pa.table({"timestamp_microseconds": ["0", "1"]}))
    with pytest.raises(Unavailable, match=r"has the wrong type for 'timestamp_microseconds': expected an integer"):
        decode_video(body)


def test_frame_timestamps_null() -> None:
    body = with_frame_timestamps(video_archive(), pa.table({"timestamp_microseconds": [0, None, 2]}))
    with pytest.raises(Unavailable, match=r"^frame_timestamps.parquet has a null timestamp_microseconds in row 1$"):
        decode_video(body)


def test_frame_timestamps_image_id_is_ignored() -> None:
    table = pa.table({"timestamp_microseconds": [2, 1], "image_id": ["a", None]})
    assert decode_video(with_frame_timestamps(video_archive(), table)).frame_timestamps_microseconds == (1, 2)


# ---- the safety net ----


def test_unexpected_errors_are_wrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("surprise")

    monkeypatch.setattr(_results, "frame_timestamps", broken)
    with pytest.raises(Unavailable, match=r"^unexpected error decoding the results archive: KeyError") as caught:
        decode_video(video_archive())
    assert isinstance(caught.value.__cause__, KeyError)


def test_the_collector_is_restored_after_an_error() -> None:
    import gc

    assert gc.isenabled()
    with pytest.raises(Unavailable):
        decode_video(video_archive(), fps=None)
    with pytest.raises(Unavailable):
        decode_image(b"junk")
    assert gc.isenabled()
    gc.disable()
    try:
        decode_image(image_archive())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_zip_error_keeps_its_cause() -> None:
    with pytest.raises(Unavailable) as caught:
        decode_image(io.BytesIO(b"junk").getvalue())
    assert isinstance(caught.value.__cause__, zipfile.BadZipFile)


def test_null_in_a_dictionary_column() -> None:
    schema = retyped(["categories", "name"], pa.dictionary(pa.int8(), pa.string()))
    body = video_rows_body(lambda rows: set_in(rows, [0, "categories", 1, "name"], None), schema)
    with pytest.raises(Unavailable, match=r"null in categories\[\].name in row 0$"):
        decode_video(body)
