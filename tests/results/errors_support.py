"""Decoding helpers shared by the malformed-archive tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest

from dragoneye._results import decode_image_results, decode_video_results
from dragoneye._wire import PREDICTIONS_MEMBER, predictions_schema
from dragoneye.types.exception import DragoneyeError, PredictionTaskResultsUnavailableError

from .archive_edits import members_of, read_table, rows_of, with_predictions
from .samples import image_archive, video_archive

Unavailable = PredictionTaskResultsUnavailableError


def decode_video(body: bytes, fps: Any = "5") -> Any:
    return decode_video_results(body, prediction_task_uuid="task", original_file_name=None, frames_per_second=fps)


def decode_image(body: bytes) -> Any:
    return decode_image_results(body, prediction_task_uuid="task", original_file_name=None)


DECODERS: list[Callable[[bytes], Any]] = [decode_video, decode_image]


def raises_both(body: bytes, match: str) -> None:
    """Both decoders reject `body` with a message matching `match`."""
    for decode in DECODERS:
        with pytest.raises(Unavailable, match=match) as caught:
            decode(body)
        assert isinstance(caught.value, DragoneyeError)
        assert not str(caught.value).startswith("unexpected error")


def video_rows_body(edit: Callable[[list[dict[str, Any]]], None], schema: pa.Schema | None = None) -> bytes:
    body = video_archive()
    rows = rows_of(body)
    edit(rows)
    return with_predictions(body, pa.Table.from_pylist(rows, schema=schema or predictions_schema()))


def image_rows_body(edit: Callable[[list[dict[str, Any]]], None], schema: pa.Schema | None = None) -> bytes:
    body = image_archive()
    rows = rows_of(body)
    edit(rows)
    return with_predictions(body, pa.Table.from_pylist(rows, schema=schema or predictions_schema()))


def cast_body(schema: pa.Schema) -> bytes:
    body = video_archive()
    table = read_table(members_of(body)[PREDICTIONS_MEMBER])
    return with_predictions(body, table.cast(schema))


def set_in(rows: list[dict[str, Any]], path: list[Any], value: Any) -> None:
    target: Any = rows
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
