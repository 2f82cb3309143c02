"""Facts of the wire format that the client and the emulator share."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

RESPONSE_VERSION = "parquet_object"
PREDICTED_STATUS = "predicted"
FAILED_STATUS_PREFIX = "failed"

PREDICTIONS_MEMBER = "predictions.parquet"
FRAME_TIMESTAMPS_MEMBER = "frame_timestamps.parquet"
ORIGINAL_FILE_NAME_HEADER = "X-Original-File-Name"
FRAMES_PER_SECOND_HEADER = "X-Frames-Per-Second"
API_KEY_HEADER = "X-API-Key"


def predictions_schema() -> pa.Schema:
    """The arrow schema of `predictions.parquet`: one row per object ("object-forward")."""
    import pyarrow as pa

    timestamp_range = pa.struct(
        [("timestamp_start_us_inclusive", pa.int64()), ("timestamp_end_us_inclusive", pa.int64())]
    )
    scored_range = pa.struct(
        [
            ("timestamp_start_us_inclusive", pa.int64()),
            ("timestamp_end_us_inclusive", pa.int64()),
            ("score", pa.float32()),
        ]
    )
    observation = pa.struct(
        [
            ("timestamp_microseconds", pa.int64()),
            ("normalized_bbox", pa.list_(pa.float32(), 4)),
            ("bbox_score", pa.float32()),
        ]
    )
    attribute = pa.struct(
        [
            ("attribute_id", pa.int64()),
            ("attribute_name", pa.string()),
            ("option_id", pa.int64()),
            ("option_name", pa.string()),
            ("timestamp_ranges", pa.list_(scored_range)),
        ]
    )
    category = pa.struct(
        [
            ("category_id", pa.int64()),
            ("name", pa.string()),
            ("score", pa.float32()),
            ("attributes", pa.list_(attribute)),
        ]
    )
    return pa.schema(
        [
            ("object_id", pa.int64()),
            ("timestamp_ranges", pa.list_(timestamp_range)),
            ("bbox_observations", pa.list_(observation)),
            ("categories", pa.list_(category)),
        ]
    )


def frame_timestamps_schema() -> pa.Schema:
    """The arrow schema of `frame_timestamps.parquet`: one row per processed frame."""
    import pyarrow as pa

    return pa.schema([("timestamp_microseconds", pa.int64()), ("image_id", pa.int64())])
