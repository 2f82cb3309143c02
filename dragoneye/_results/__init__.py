"""Decode a prediction task's results archive into the public result types.

The body is a ZIP holding `predictions.parquet` (one row per object) and, for
videos, `frame_timestamps.parquet`; see the wire protocol. Three steps, one
module each: `_archive` reads the members within a budget of inflated bytes;
`_columns` checks the parquet schema and reads flat columns, naming the row
of any bad value; `_assemble` builds the image or video objects from them.

Anything malformed raises `PredictionTaskResultsUnavailableError` naming what
is wrong. Beyond the exact `predictions_schema()`, the decoder accepts any
integer type where int64 is expected, float64 for float32, large_string or a
dictionary of strings for string, large_list for list, and a (large_)list of
exactly 4 numbers for the fixed-size `normalized_bbox`. Extra columns and
struct fields are ignored, and a null list reads as empty, as in the official
client. Image results ignore the timestamps of their rows.

A new column of the archive needs only the decoder: the public types are
generated from openapi.yaml.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .._constants import DEFAULT_MAX_RESULT_VALUES
from .._wire import FRAME_TIMESTAMPS_MEMBER, FRAMES_PER_SECOND_HEADER, PREDICTIONS_MEMBER
from ..models import ClassificationPredictImageResponse, ClassificationPredictVideoResponse
from ..types.exception import DragoneyeError
from ._archive import read_archive
from ._assemble import Checkpoint, image_objects, no_checkpoint, video_objects
from ._columns import Predictions, frame_timestamps
from ._diagnostics import Unavailable, describe, short
from ._gc import fewer_collections

__all__ = ["decode_image_results", "decode_video_results"]

_MAX_FPS_DIGITS = 9
_T = TypeVar("_T")


def decode_image_results(
    body: bytes,
    *,
    prediction_task_uuid: str,
    original_file_name: str | None,
    max_values: int = DEFAULT_MAX_RESULT_VALUES,
    checkpoint: Checkpoint = no_checkpoint,
) -> ClassificationPredictImageResponse:
    """Decode the results archive of an image prediction.

    `max_values` bounds the values of one parquet member (see `_budget`).
    `checkpoint` is called between the steps of decoding: it raises to stop
    it (the prediction's deadline has passed, or its caller was cancelled).
    """

    def decode() -> ClassificationPredictImageResponse:
        members = read_archive(body, (PREDICTIONS_MEMBER,))
        checkpoint()
        return ClassificationPredictImageResponse(
            objects=image_objects(Predictions(members[PREDICTIONS_MEMBER], max_values), checkpoint),
            prediction_task_uuid=prediction_task_uuid,
            original_file_name=original_file_name,
        )

    return _guarded(decode)


def decode_video_results(
    body: bytes,
    *,
    prediction_task_uuid: str,
    original_file_name: str | None,
    frames_per_second: str | int | None,
    max_values: int = DEFAULT_MAX_RESULT_VALUES,
    checkpoint: Checkpoint = no_checkpoint,
) -> ClassificationPredictVideoResponse:
    """Decode the results archive of a video prediction; see decode_image_results.

    `frames_per_second` is the raw `X-Frames-Per-Second` header: it must be a
    positive integer. Without `frame_timestamps.parquet` the frame list is empty.
    """

    def decode() -> ClassificationPredictVideoResponse:
        fps = _frames_per_second(frames_per_second)
        members = read_archive(body, (PREDICTIONS_MEMBER, FRAME_TIMESTAMPS_MEMBER))
        checkpoint()
        frames = members.get(FRAME_TIMESTAMPS_MEMBER)
        return ClassificationPredictVideoResponse(
            objects=video_objects(Predictions(members[PREDICTIONS_MEMBER], max_values), checkpoint),
            frames_per_second=fps,
            frame_timestamps_microseconds=[] if frames is None else frame_timestamps(frames, max_values),
            prediction_task_uuid=prediction_task_uuid,
            original_file_name=original_file_name,
        )

    return _guarded(decode)


def _guarded(decode: Callable[[], _T]) -> _T:
    # Every expected failure is diagnosed where it happens; this net only keeps
    # the promise that nothing but the SDK's errors (Unavailable, or a
    # checkpoint's timeout) escapes, should a case be missed.
    try:
        with fewer_collections():
            return decode()
    except DragoneyeError as error:
        # Raised inside the decode (a diagnosis, or a checkpoint's timeout): its
        # frames hold the partly built result, hundreds of MB that a caller
        # keeping the exception would keep too. The message says what was wrong.
        raise error.with_traceback(None) from error.__cause__
    except Exception as exc:
        raise Unavailable(f"unexpected error decoding the results archive: {describe(exc)}") from exc


def _frames_per_second(value: str | int | None) -> int:
    if value is None:
        raise Unavailable(f"{FRAMES_PER_SECOND_HEADER} header is missing on a video result")
    fps = 0
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= _MAX_FPS_DIGITS:
            fps = int(text)
    elif isinstance(value, int) and not isinstance(value, bool):
        fps = value
    if fps <= 0:
        raise Unavailable(f"{FRAMES_PER_SECOND_HEADER} header is not a positive integer: {short(repr(value))}")
    return fps
