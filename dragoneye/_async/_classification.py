"""client.classification: predictions, status and results."""

from __future__ import annotations

import time

import attrs
import httpx

from .._backends import async_sleep
from .._checks import check_media, check_upload_url
from .._constants import DEFAULT_FRAMES_PER_SECOND, MAX_UNCHANGED_STATUS_SECONDS
from .._deadline import Deadline, check_time_left, timed_out
from .._generated.api.prediction import (
    begin_prediction_task,
    get_prediction_task_status,
    predict,
)
from .._generated.api.storage import upload_media
from .._generated.models import (
    BeginPredictionTaskForm,
    MediaUploadUrl,
    PredictForm,
    PredictionTaskBeginResponse,
    UploadMediaForm,
)
from .._generated.types import UNSET, File
from .._parsing import parse
from .._polling import poll_intervals
from .._retry import Idempotency
from .._wire import (
    FAILED_STATUS_PREFIX,
    PREDICTED_STATUS,
    RESPONSE_VERSION,
)
from ..models import (
    ClassificationPredictImageResponse,
    ClassificationPredictVideoResponse,
    PredictionTaskStatusResponse,
)
from ..types.exception import (
    PredictionTaskBeginError,
    PredictionTaskError,
    PredictionTimeoutException,
    PredictionUploadError,
)
from ..types.media import Image, Media, Video, seekable_position
from ._results_reader import AsyncResultsReader
from ._sender import AsyncSender
from ._state import ClientState


class AsyncClassification:
    """`client.classification`: predict images and videos, and look up prediction tasks.

    Every method raises a DragoneyeError subclass when the API or the network
    fails (see each method), and DragoneyeError itself when the client is closed
    or used on an event loop other than the one it first ran on.
    """

    def __init__(
        self,
        sender: AsyncSender,
        *,
        state: ClientState,
        max_poll_interval: float,
        upload_timeout: httpx.Timeout,
        max_results_bytes: int,
        max_result_values: int,
    ) -> None:
        self._sender = sender
        self._state = state
        self._max_poll_interval = max_poll_interval
        self._upload_timeout = upload_timeout
        self._results = AsyncResultsReader(sender, max_bytes=max_results_bytes, max_values=max_result_values)

    async def predict_image(
        self, media: Image, model_name: str, timeout_seconds: float | None = None
    ) -> ClassificationPredictImageResponse:
        """Predict an image: begin a task, upload the media, wait for the task, fetch its results.

        Args:
            media: The image, from `Image.from_path`, `from_bytes` or `from_stream`.
            model_name: The model to run, e.g. "recognize_anything/your_model_name".
            timeout_seconds: A bound on the whole prediction; None waits until it is done.

        Raises:
            ValueError: `media` is not an Image, or is empty or closed; `model_name`
                is empty; `timeout_seconds` is not positive. Nothing was sent.
            FileNotFoundError: the media's file was removed after `Image.from_path`.
            PredictionTaskBeginError: the task could not be begun (a rejected key, an unsupported type...).
            PredictionUploadError: the media could not be read or uploaded.
            PredictionTaskError: the prediction could not be started, or the task failed.
            PredictionTimeoutException: `timeout_seconds` passed first.
            PredictionTaskResultsUnavailableError: the results could not be fetched or read.
            DragoneyeError: the client is closed, or used on another event loop.
        """
        self._state.check()
        check_media(media, Image, "predict_image")
        deadline = Deadline.after(timeout_seconds)
        with self._sender.key.redacting():
            uuid = await self._run_prediction(media, model_name, None, deadline)
            return await self._results.image(uuid, deadline)

    async def predict_video(
        self,
        media: Video,
        model_name: str,
        frames_per_second: int = DEFAULT_FRAMES_PER_SECOND,
        timeout_seconds: float | None = None,
    ) -> ClassificationPredictVideoResponse:
        """Predict a video, sampled at `frames_per_second`: its objects tracked over the sampled frames.

        Args:
            media: The video, from `Video.from_path`, `from_bytes` or `from_stream`.
            model_name: The model to run, e.g. "recognize_anything/your_model_name".
            frames_per_second: How many frames of each second of video are predicted.
            timeout_seconds: A bound on the whole prediction; None waits until it is done.

        Raises:
            ValueError: `media` is not a Video, or is empty or closed; `model_name`
                is empty; `frames_per_second` or `timeout_seconds` is not positive.
                Nothing was sent.
            FileNotFoundError: the media's file was removed after `Video.from_path`.
            PredictionTaskBeginError: the task could not be begun (a rejected key, an unsupported type...).
            PredictionUploadError: the media could not be read or uploaded.
            PredictionTaskError: the prediction could not be started, or the task failed.
            PredictionTimeoutException: `timeout_seconds` passed first.
            PredictionTaskResultsUnavailableError: the results could not be fetched or read.
            DragoneyeError: the client is closed, or used on another event loop.
        """
        self._state.check()
        check_media(media, Video, "predict_video")
        if isinstance(frames_per_second, bool) or not isinstance(frames_per_second, int) or frames_per_second < 1:
            raise ValueError(f"frames_per_second must be a positive integer; got {frames_per_second!r}")
        deadline = Deadline.after(timeout_seconds)
        with self._sender.key.redacting():
            uuid = await self._run_prediction(media, model_name, frames_per_second, deadline)
            return await self._results.video(uuid, deadline)

    async def status(self, prediction_task_uuid: str) -> PredictionTaskStatusResponse:
        """The current status of a prediction task.

        Raises:
            PredictionTaskError: the status could not be had (an unknown task, a rejected key...).
            DragoneyeError: the client is closed, or used on another event loop.
        """
        self._state.check()
        with self._sender.key.redacting():
            return await self._status(prediction_task_uuid, None)

    async def _status(self, prediction_task_uuid: str, deadline: Deadline | None) -> PredictionTaskStatusResponse:
        request = get_prediction_task_status.build_request_kwargs(prediction_task_uuid=prediction_task_uuid)
        response = await self._sender.send(
            request, action="status", error=PredictionTaskError, idempotency=Idempotency.SAFE, deadline=deadline
        )
        parsed = parse(get_prediction_task_status.parse_response, response, PredictionTaskError, "status")
        redacted = self._sender.key.redact(parsed.status)  # a server may echo what it was sent
        return parsed if redacted == parsed.status else attrs.evolve(parsed, status=redacted)

    async def get_image_results(self, prediction_task_uuid: str) -> ClassificationPredictImageResponse:
        """The results of a finished image prediction task.

        Raises:
            PredictionTaskResultsUnavailableError: the task is unknown or not done, or its results are unreadable.
            DragoneyeError: the client is closed, or used on another event loop.
        """
        self._state.check()
        with self._sender.key.redacting():
            return await self._results.image(prediction_task_uuid, None)

    async def get_video_results(self, prediction_task_uuid: str) -> ClassificationPredictVideoResponse:
        """The results of a finished video prediction task.

        Raises:
            PredictionTaskResultsUnavailableError: the task is unknown or not done, or its results are unreadable.
            DragoneyeError: the client is closed, or used on another event loop.
        """
        self._state.check()
        with self._sender.key.redacting():
            return await self._results.video(prediction_task_uuid, None)

    async def _run_prediction(
        self, media: Media, model_name: str, frames_per_second: int | None, deadline: Deadline | None
    ) -> str:
        """Begin, upload, predict and wait; return the finished task's UUID.

        No step starts, and no retry waits, past the deadline.
        """
        if not isinstance(model_name, str) or not model_name.strip():
            raise ValueError(f"model_name must be a non-empty string; got {model_name!r}")
        media.check_readable()
        if media.size() == 0:
            raise ValueError(f"the media is empty (0 bytes): {media!r}")
        begun = await self._begin(media, frames_per_second, deadline)
        uuid = begun.prediction_task_uuid
        check_time_left(deadline, f"task {uuid} was begun, but not uploaded")
        await self._upload(media, begun.signed_urls[0], deadline)
        check_time_left(deadline, f"task {uuid} was uploaded, but not started")
        await self._predict(uuid, model_name, deadline)
        status = await self._wait(uuid, deadline)
        if status.startswith(FAILED_STATUS_PREFIX):
            raise PredictionTaskError(f"prediction task {uuid} failed with status {status!r}")
        return uuid

    async def _begin(
        self, media: Media, frames_per_second: int | None, deadline: Deadline | None
    ) -> PredictionTaskBeginResponse:
        form = BeginPredictionTaskForm(
            mimetype=media.mime_type,
            response_version=RESPONSE_VERSION,
            file_name=media.name if media.name is not None else UNSET,
            frames_per_second=frames_per_second if frames_per_second is not None else UNSET,
        )
        response = await self._sender.send(
            begin_prediction_task.build_request_kwargs(body=form),
            action="begin",
            error=PredictionTaskBeginError,
            idempotency=Idempotency.UNSAFE,
            deadline=deadline,
        )
        begun = parse(begin_prediction_task.parse_response, response, PredictionTaskBeginError, "begin")
        if not begun.signed_urls:
            raise PredictionTaskBeginError("begin failed: the response has no upload URL")
        return begun

    async def _upload(self, media: Media, signed_url: MediaUploadUrl, deadline: Deadline | None) -> None:
        presigned = signed_url.presigned_post_request
        check_upload_url(presigned.url, self._sender.base_url)
        try:
            with media.open() as stream:
                form = UploadMediaForm(
                    file=File(payload=stream, file_name=media.name or "file", mime_type=media.mime_type)
                )
                form.additional_properties = {
                    key: str(value) for key, value in presigned.fields.additional_properties.items()
                }
                request = upload_media.build_request_kwargs(body=form)
                start = seekable_position(stream)
                response = await self._sender.send(
                    request,
                    action="upload",
                    error=PredictionUploadError,
                    idempotency=Idempotency.SAFE,
                    url=presigned.url,
                    timeout=self._upload_timeout,
                    rewind=(lambda: stream.seek(start)) if start is not None else None,
                    deadline=deadline,
                )
                parse(upload_media.parse_response, response, PredictionUploadError, "upload")
        except OSError as exc:
            raise PredictionUploadError(f"upload failed: could not read the media: {exc}") from exc

    async def _predict(self, prediction_task_uuid: str, model_name: str, deadline: Deadline | None) -> None:
        form = PredictForm(model_name=model_name, prediction_task_uuid=prediction_task_uuid)
        response = await self._sender.send(
            predict.build_request_kwargs(body=form),
            action="predict",
            error=PredictionTaskError,
            idempotency=Idempotency.UNSAFE,
            deadline=deadline,
        )
        parse(predict.parse_response, response, PredictionTaskError, "predict")

    async def _wait(self, prediction_task_uuid: str, deadline: Deadline | None) -> str:
        """Poll until the task is predicted or failed, at the intervals of `poll_intervals`.

        A status that stays the same for MAX_UNCHANGED_STATUS_SECONDS, far longer
        than any real task runs, raises PredictionTaskError: a broken server is
        not polled forever.
        """
        intervals = poll_intervals(self._max_poll_interval)
        status = None
        since = time.monotonic()
        while True:
            wait = next(intervals)
            if deadline is not None:
                remaining = deadline.remaining()
                if remaining <= 0:
                    raise timed_out(prediction_task_uuid, deadline, status)
                wait = min(wait, remaining)
            await async_sleep(wait)
            previous = status
            try:
                status = (await self._status(prediction_task_uuid, deadline)).status
            except PredictionTimeoutException as exc:
                raise timed_out(prediction_task_uuid, deadline, status) from exc
            if status == PREDICTED_STATUS or status.startswith(FAILED_STATUS_PREFIX):
                return status
            if status != previous:
                since = time.monotonic()
            elif time.monotonic() - since > MAX_UNCHANGED_STATUS_SECONDS:
                raise PredictionTaskError(
                    f"prediction task {prediction_task_uuid} has had status {status[:100]!r} for over"
                    f" {MAX_UNCHANGED_STATUS_SECONDS:g} s, longer than any real task runs"
                )
