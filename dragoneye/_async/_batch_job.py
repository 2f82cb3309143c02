"""A batch job: many media through one client, with a ledger that survives a crash.

Every media's progress is in the SQLite ledger, so running the same job again
resumes it: finished media are skipped, a task already begun is followed by
its UUID, never begun again. Concurrency adapts: it halves on 429 and 503 and
grows back while calls succeed.
"""

from __future__ import annotations

import mimetypes
import os
import time
from collections.abc import AsyncGenerator, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import anyio

from .._backends import async_run_blocking
from .._concurrency import async_cancel, async_channel, async_receive_group, async_task_group
from .._constants import DEFAULT_FRAMES_PER_SECOND
from .._deadline import Deadline
from .._generated.models import MediaUploadUrl
from .._wire import FAILED_STATUS_PREFIX, PREDICTED_STATUS
from ..batch._items import BatchItem, BatchSummary, PredictionResponse
from ..batch._ledger import BEGUN, PENDING, PREDICTING, RETRYING, UPLOADED, Entry, Ledger
from ..batch._output import Finished, OutputFile, journal_image_group, journal_video
from ..types.exception import DragoneyeError, PredictionTaskError, PredictionTaskResultsUnavailableError
from ..types.media import Image, Video
from ._adaptive import AdaptiveLimit
from ._client import AsyncDragoneye

MediaSource = Image | Video | str | os.PathLike[str]
"""A media to predict: an Image or a Video (from a path or bytes), or a file's path."""

_PLAN_CHUNK = 256
# Finished images are journalled in groups: those finished within this long of
# the first share one table and one ledger transaction (about 12 media at the
# batch bench's 125 a second), for at most this delay before they are yielded.
_GROUP_SECONDS = 0.1
_GROUP_SIZE = 256


class BatchJob:
    """Predict many media with one AsyncDragoneye, resumably.

    Args:
        client: The client to predict with (not closed by the job).
        model_name: The model every media is predicted with.
        ledger: The SQLite ledger's path (created if missing): run the job
            again with the same ledger to resume it.
        output: A `.parquet` or `.jsonl` file that receives every finished
            media's rows (the `to_arrow()` schema plus `status` and `error`),
            written as `FILE.partial` and moved onto FILE when a run ends.
        concurrency: The most predictions in flight; the job starts there,
            halves on 429 and 503, and grows back while calls succeed.
        frames_per_second: The sampling rate of videos.
        timeout_seconds: Bounds each prediction (None: no bound).
        retry_failed: Predict again the media an earlier run failed. One whose task
            finished after the run gave up on it (a timeout) gets that task's results,
            and no new task is begun.
    """

    def __init__(
        self,
        client: AsyncDragoneye,
        model_name: str,
        *,
        ledger: str | os.PathLike[str],
        output: str | os.PathLike[str] | None = None,
        concurrency: int = 8,
        frames_per_second: int = DEFAULT_FRAMES_PER_SECOND,
        timeout_seconds: float | None = None,
        retry_failed: bool = False,
    ) -> None:
        if not isinstance(model_name, str) or not model_name.strip():
            raise ValueError(f"model_name must be a non-empty string; got {model_name!r}")
        for name, value in (("concurrency", concurrency), ("frames_per_second", frames_per_second)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer; got {value!r}")
        if timeout_seconds is not None and not timeout_seconds > 0:
            raise ValueError(f"timeout_seconds must be positive or None; got {timeout_seconds!r}")
        self._client = client
        self._model_name = model_name
        self._ledger_path = Path(ledger)
        self._output_path = Path(output) if output is not None else None
        self._fps = frames_per_second
        self._timeout = timeout_seconds
        self._retry_failed = retry_failed
        self._limit = AdaptiveLimit(concurrency)
        self._stopping = False
        self._started = 0.0
        self.summary = BatchSummary(concurrency=concurrency)
        """The counts of this run, updated as media finish."""
        self._ledger: Ledger | None = None
        self._output: OutputFile | None = None

    async def __aenter__(self) -> Self:
        self._ledger = Ledger(self._ledger_path, model_name=self._model_name, frames_per_second=self._fps)
        self._limit.attach(self._client)
        self._started = time.monotonic()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stopping = True
        self._limit.detach(self._client)
        if self._ledger is not None:
            if self._output is not None:
                self._output.close(self._ledger.journal)
            self._ledger.close()
        self.summary.elapsed_seconds = time.monotonic() - self._started

    def ledger_counts(self) -> dict[str, int]:
        """Media per state in the whole ledger, and `begun_again` over all runs."""
        return self._open_ledger().counts()

    async def run(self, media: Iterable[MediaSource]) -> AsyncGenerator[BatchItem, None]:
        """Predict every media not finished by an earlier run; yield each once it is journalled
        (images finished close together are journalled together, within 0.1 s).

        Media are registered in the ledger in chunks as the iterable is read,
        so it may be a generator over millions of paths. To stop early, close
        the iterator (`contextlib.aclosing` / `closing`): predictions in flight
        are abandoned where they are, and the next run resumes them.
        """
        ledger = self._open_ledger()
        if self._output_path is not None and self._output is None:
            self._output = OutputFile(self._output_path)
        send, receive = async_channel(self._limit.ceiling)
        async with async_task_group() as group:
            group.start_soon(self._drive, ledger, media, send)
            async with receive:
                while True:
                    try:
                        item = await receive.receive()
                    except anyio.EndOfStream:
                        break
                    try:
                        yield item
                    except GeneratorExit:  # the caller stopped early (aclosing, or leaving its loop)
                        self._stopping = True
                        async_cancel(group)
                        return

    def _open_ledger(self) -> Ledger:
        if self._ledger is None:
            raise RuntimeError("run the job inside its with-block")
        return self._ledger

    async def _drive(self, ledger: Ledger, media: Iterable[MediaSource], results: Any) -> None:
        """Plan media chunk by chunk and hand them to the workers; journal finished images in groups."""
        work_send, work_receive = async_channel(self._limit.ceiling)
        images_send, images_receive = async_channel(_GROUP_SIZE)
        async with results, async_task_group() as journal:
            journal.start_soon(self._journal_images, ledger, images_receive, results)
            async with images_send, work_receive, async_task_group() as workers:
                for _ in range(self._limit.ceiling):
                    workers.start_soon(self._work, ledger, work_receive, images_send, results)
                async with work_send:
                    for chunk in _chunks(media, _PLAN_CHUNK):
                        entries, finished = await async_run_blocking(
                            ledger.plan, chunk, retry_failed=self._retry_failed
                        )
                        self.summary.skipped += finished
                        for entry in entries:
                            if self._stopping:
                                return
                            try:
                                await work_send.send(entry)
                            except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                                return  # the workers stopped

    async def _work(self, ledger: Ledger, work: Any, images: Any, results: Any) -> None:
        try:
            while not self._stopping:
                try:
                    entry = await work.receive()
                except (anyio.EndOfStream, anyio.ClosedResourceError):
                    return
                async with self._limit.slot():
                    finished = await self._process(ledger, entry)
                try:
                    if isinstance(entry.media, Video):  # up to hundreds of thousands of rows: built off the loop
                        rows = await async_run_blocking(journal_video, ledger, finished)
                        await self._deliver(entry.media, finished, rows, results)
                    else:
                        await images.send((entry.media, finished))
                except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                    self._stopping = True  # the caller stopped reading: finish no more media
        finally:
            if self._stopping:
                work.close()  # unblock the planner, which may wait for room in the queue

    async def _journal_images(self, ledger: Ledger, images: Any, results: Any) -> None:
        """Journal finished images as they come, in groups: one table and one ledger
        transaction for the media finished within _GROUP_SECONDS of each other.

        A group not yet journalled when the job is stopped is lost to this run
        only: its media are still `predicting` in the ledger, and the next run
        fetches their results again (no new task).
        """
        async with images:
            while group := await async_receive_group(images, _GROUP_SIZE, _GROUP_SECONDS):
                tables = journal_image_group(ledger, [finished for _, finished in group])
                try:
                    for (media, finished), rows in zip(group, tables, strict=True):
                        await self._deliver(media, finished, rows, results)
                except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                    self._stopping = True
                    return

    async def _deliver(self, media: Image | Video, finished: Finished, rows: Any, results: Any) -> None:
        """Count a journalled media, write its rows to the output, and yield it."""
        item = BatchItem(name=finished.name, media=media, result=finished.response, error=finished.error, rows=rows)
        self.summary.throttled = self._limit.throttled
        self.summary.concurrency = self._limit.concurrency
        if item.ok:
            self.summary.done += 1
        else:
            self.summary.failed += 1
        if self._output is not None:
            self._output.write(finished.media_id, rows)
        await results.send(item)

    async def _process(self, ledger: Ledger, entry: Entry) -> Finished:
        """Take one media from where the ledger left it to a result (or an error)."""
        name = entry.media.name or str(entry.id)
        uuid = entry.task_uuid
        response: PredictionResponse | None = None
        error: str | None = None
        try:
            uuid, response = await self._predict(ledger, entry)
        except (DragoneyeError, ValueError, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}"
            uuid = ledger.task_uuid(entry.id)  # a failed media's row names the task it was begun as
        return Finished(media_id=entry.id, name=name, uuid=uuid, response=response, error=error)

    async def _predict(self, ledger: Ledger, entry: Entry) -> tuple[str | None, PredictionResponse]:
        classification = self._client.classification
        media = entry.media
        video = isinstance(media, Video)
        deadline = Deadline.after(self._timeout)
        state, uuid = entry.state, entry.task_uuid
        if state == RETRYING and uuid is not None:
            earlier = await self._earlier_results(uuid, video, deadline)
            if earlier is not None:
                self.summary.recovered += 1
                return uuid, earlier
            state, uuid = PENDING, None
        if uuid is None or entry.upload is None:
            if media.size() == 0:
                raise ValueError(f"the media is empty (0 bytes): {media!r}")
            if ledger.beginning(entry.id, state):
                self.summary.begun_again += 1
            begun = await classification._begin(media, self._fps if video else None, deadline)
            uuid, upload = begun.prediction_task_uuid, begun.signed_urls[0]
            ledger.begun(entry.id, uuid, upload.to_dict())
            state = BEGUN
        else:
            ledger.resumed(entry.id)
            upload = MediaUploadUrl.from_dict(entry.upload)
        if state == BEGUN:
            await classification._upload(media, upload, deadline)
            ledger.advance(entry.id, UPLOADED)
            state = UPLOADED
        if state == UPLOADED:
            ledger.advance(entry.id, PREDICTING)
            await classification._predict(uuid, self._model_name, deadline)
        elif state == PREDICTING:
            await self._predict_unless_started(uuid, deadline)
        status = await classification._wait(uuid, deadline)
        if status.startswith(FAILED_STATUS_PREFIX):
            raise PredictionTaskError(f"prediction task {uuid} failed with status {status!r}")
        return uuid, await self._results(uuid, video, deadline)

    async def _results(self, uuid: str, video: bool, deadline: Deadline | None) -> PredictionResponse:
        """A finished task's results."""
        if video:
            return await self._client.classification._results.video(uuid, deadline)
        return await self._client.classification._results.image(uuid, deadline)

    async def _earlier_results(self, uuid: str, video: bool, deadline: Deadline | None) -> PredictionResponse | None:
        """The results of the task a failed media was begun as, if it finished after all (an earlier
        run gave up on it: a timeout, a dropped connection); None if a new task must be begun."""
        try:
            if (await self._client.classification._status(uuid, deadline)).status != PREDICTED_STATUS:
                return None  # failed, or still not done: a new task
            return await self._results(uuid, video, deadline)
        except PredictionTaskResultsUnavailableError:
            return None  # its results are gone
        except PredictionTaskError as exc:
            if exc.status_code in (400, 404):  # the API does not know the task
                return None
            raise

    async def _predict_unless_started(self, uuid: str, deadline: Deadline | None) -> None:
        """After a crash while /predict was in flight: start the task only if it has not started."""
        classification = self._client.classification
        status = (await classification._status(uuid, deadline)).status
        if status == PREDICTED_STATUS or status.startswith(FAILED_STATUS_PREFIX):
            return
        try:
            await classification._predict(uuid, self._model_name, deadline)
        except PredictionTaskError as exc:
            if exc.status_code not in (400, 409):  # 400/409: it had started after all
                raise


def as_media(source: MediaSource) -> Image | Video:
    """An Image or a Video for `source`; a path's kind comes from its extension."""
    if isinstance(source, Image | Video):
        if source.is_stream:
            raise ValueError(f"a batch job reads each media more than once; a stream cannot be: {source!r}")
        if source.path is None and not source.name:
            raise ValueError(f"media from bytes needs a unique name in a batch job: {source!r}")
        return source
    if not isinstance(source, str | os.PathLike):
        raise TypeError(f"expected an Image, a Video or a path; got {type(source).__name__}")
    path = Path(source)
    mime_type = mimetypes.guess_type(path.name)[0] or ""
    if mime_type.startswith("video/"):
        return Video.from_path(path, name=str(source))
    if mime_type.startswith("image/"):
        return Image.from_path(path, name=str(source))
    raise ValueError(f"cannot tell whether {str(source)!r} is an image or a video from its extension")


def _chunks(media: Iterable[MediaSource], size: int) -> Iterator[list[Image | Video]]:
    chunk: list[Image | Video] = []
    for source in media:
        chunk.append(as_media(source))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
