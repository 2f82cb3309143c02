"""Fetching a task's results archive within its byte budget, and decoding it off the event loop."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

import httpx

from .._backends import async_run_cancellable
from .._deadline import Deadline, decoding_checkpoint
from .._generated.api.prediction import get_prediction_task_results
from .._parsing import parse
from .._retry import Idempotency
from .._wire import FRAMES_PER_SECOND_HEADER, ORIGINAL_FILE_NAME_HEADER, RESPONSE_VERSION
from ..models import ClassificationPredictImageResponse, ClassificationPredictVideoResponse
from ..types.exception import PredictionTaskResultsUnavailableError
from ._sender import AsyncSender

_Result = TypeVar("_Result")


class AsyncResultsReader:
    """Reads results archives of at most `max_bytes`, each parquet member of at most `max_values` values."""

    def __init__(self, sender: AsyncSender, *, max_bytes: int, max_values: int) -> None:
        self._sender = sender
        self._max_bytes = max_bytes
        self._max_values = max_values

    async def image(self, prediction_task_uuid: str, deadline: Deadline | None) -> ClassificationPredictImageResponse:
        """The decoded results of an image task."""
        from .._results import decode_image_results  # zipfile and pyarrow: only once results arrive

        return await self._decoded(decode_image_results, prediction_task_uuid, deadline, {})

    async def video(self, prediction_task_uuid: str, deadline: Deadline | None) -> ClassificationPredictVideoResponse:
        """The decoded results of a video task."""
        from .._results import decode_video_results  # zipfile and pyarrow: only once results arrive

        fps = {"frames_per_second": FRAMES_PER_SECOND_HEADER}
        return await self._decoded(decode_video_results, prediction_task_uuid, deadline, fps)

    async def _decoded(
        self,
        decode: Callable[..., _Result],
        prediction_task_uuid: str,
        deadline: Deadline | None,
        headers: Mapping[str, str],
    ) -> _Result:
        """Fetch the archive and `decode` it in a worker thread, giving it the
        response headers that `headers` maps its keyword arguments to."""
        response, body = await self._fetch(prediction_task_uuid, deadline)
        from_headers = {name: response.headers.get(header) for name, header in headers.items()}
        return await async_run_cancellable(
            lambda stop: decode(
                body,
                prediction_task_uuid=prediction_task_uuid,
                original_file_name=response.headers.get(ORIGINAL_FILE_NAME_HEADER),
                max_values=self._max_values,
                checkpoint=decoding_checkpoint(deadline, stop),
                **from_headers,
            )
        )

    async def _fetch(self, prediction_task_uuid: str, deadline: Deadline | None) -> tuple[httpx.Response, bytes]:
        """The results response (for its headers) and its body, the archive."""
        request = get_prediction_task_results.build_request_kwargs(
            prediction_task_uuid=prediction_task_uuid, response_version=RESPONSE_VERSION
        )
        # The archive is compressed already: a content-encoding would only add a bomb's chance.
        request["headers"] = {"Accept-Encoding": "identity"}
        error = PredictionTaskResultsUnavailableError
        response = await self._sender.send(
            request,
            action="results",
            error=error,
            idempotency=Idempotency.SAFE,
            deadline=deadline,
            max_bytes=self._max_bytes,
        )
        return response, parse(get_prediction_task_results.parse_response, response, error, "results")
