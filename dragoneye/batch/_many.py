"""Predict many images and videos with one client, a bounded number at a time.

    async with AsyncDragoneye() as client:
        results = await predict_many(client, media, "recognize_anything/my_model", concurrency=8)

    with Dragoneye() as client:
        results = predict_many_blocking(client, media, "recognize_anything/my_model")

Results come back in input order, one `BatchResult` per media; a failed
prediction is recorded in its `error` and does not stop the others.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeAlias

import anyio
import attrs

from ..types.media import Image, Video
from ._items import PredictionResponse

if TYPE_CHECKING:
    from .._async import AsyncDragoneye
    from .._sync import Dragoneye

__all__ = ["BatchResult", "PredictionResponse", "predict_many", "predict_many_blocking"]

_JOIN_SECONDS = 0.1

OnResult: TypeAlias = Callable[[int, "BatchResult"], None]
"""Called with (index in the input, result) as each prediction finishes."""


@attrs.frozen(kw_only=True)
class BatchResult:
    """The outcome of one media's prediction: `result` on success, else `error`."""

    media: Image | Video
    result: PredictionResponse | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        """Whether the prediction succeeded."""
        return self.error is None


async def predict_many(
    client: AsyncDragoneye,
    media: Sequence[Image | Video],
    model_name: str,
    *,
    concurrency: int = 8,
    frames_per_second: int = 1,
    timeout_seconds: float | None = None,
    on_result: OnResult | None = None,
) -> list[BatchResult]:
    """Predict every media on `client`, at most `concurrency` at a time.

    Works under asyncio and trio. Images go to `predict_image`, videos to
    `predict_video` (sampled at `frames_per_second`); `timeout_seconds` bounds
    each prediction. Any Exception a prediction raises is kept in its
    BatchResult; cancellation still cancels the whole batch, and an exception
    raised by `on_result` stops it and is raised here.
    """
    items = _checked(media, concurrency)
    results: list[BatchResult | None] = [None] * len(items)
    pending = iter(range(len(items)))

    async def predict_one(item: Image | Video) -> PredictionResponse:
        if isinstance(item, Video):
            return await client.classification.predict_video(
                item, model_name, frames_per_second=frames_per_second, timeout_seconds=timeout_seconds
            )
        return await client.classification.predict_image(item, model_name, timeout_seconds=timeout_seconds)

    async def worker() -> None:
        # Each worker takes the next index until none are left: at most
        # `concurrency` predictions are in flight, and no task per media waits idle.
        for index in pending:
            try:
                outcome = BatchResult(media=items[index], result=await predict_one(items[index]))
            except Exception as exc:
                outcome = BatchResult(media=items[index], error=exc)
            results[index] = outcome
            if on_result is not None:
                on_result(index, outcome)

    try:
        async with anyio.create_task_group() as group:
            for _ in range(min(concurrency, len(items))):
                group.start_soon(worker)
    except BaseExceptionGroup as errors:
        # Predictions' errors are kept in their results: only `on_result` can
        # raise here. Raise its error as itself, not wrapped in a group; when two
        # workers' calls raised at once, the first stands for both.
        raise errors.exceptions[0] from None
    return _finished(results)


def predict_many_blocking(
    client: Dragoneye,
    media: Sequence[Image | Video],
    model_name: str,
    *,
    concurrency: int = 8,
    frames_per_second: int = 1,
    timeout_seconds: float | None = None,
    on_result: OnResult | None = None,
) -> list[BatchResult]:
    """The blocking twin of `predict_many`: a pool of `concurrency` threads
    sharing `client` (its connection pool is thread-safe).

    `on_result` is called from the worker threads. Ctrl-C raises
    KeyboardInterrupt here at once: no further prediction starts, and those
    running end with the client (close it) or the process.
    """
    items = _checked(media, concurrency)

    def predict_one(index: int) -> BatchResult:
        item = items[index]
        try:
            if isinstance(item, Video):
                result: PredictionResponse = client.classification.predict_video(
                    item, model_name, frames_per_second=frames_per_second, timeout_seconds=timeout_seconds
                )
            else:
                result = client.classification.predict_image(item, model_name, timeout_seconds=timeout_seconds)
            outcome = BatchResult(media=item, result=result)
        except Exception as exc:
            outcome = BatchResult(media=item, error=exc)
        if on_result is not None:
            on_result(index, outcome)
        return outcome

    if not items:
        return []
    results: list[BatchResult | None] = [None] * len(items)
    pending = iter(range(len(items)))
    take = threading.Lock()
    stop = threading.Event()
    raised: list[BaseException] = []

    def worker() -> None:
        try:
            while not stop.is_set():
                with take:
                    index = next(pending, None)
                if index is None:
                    return
                results[index] = predict_one(index)
        except BaseException as exc:  # from on_result: stop the batch and raise it in the caller
            raised.append(exc)
            stop.set()

    # Daemon threads, joined with a timeout: Ctrl-C reaches the caller at once,
    # and no prediction still running keeps the interpreter from exiting.
    threads = [
        threading.Thread(target=worker, name=f"dragoneye-batch-{number}", daemon=True)
        for number in range(min(concurrency, len(items)))
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(_JOIN_SECONDS)
    finally:
        stop.set()  # on an interrupt, predictions not yet started are dropped
    if raised:
        raise raised[0]
    return _finished(results)


def _checked(media: Sequence[Image | Video], concurrency: int) -> list[Image | Video]:
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be a positive integer; got {concurrency!r}")
    items = list(media)
    for index, item in enumerate(items):
        if not isinstance(item, Image | Video):
            raise TypeError(f"media[{index}] must be an Image or a Video; got {type(item).__name__}")
    return items


def _finished(results: list[BatchResult | None]) -> list[BatchResult]:
    done = [result for result in results if result is not None]
    if len(done) != len(results):  # pragma: no cover - every worker fills its slots or raises
        raise RuntimeError("a batch ended with predictions missing")
    return done
