"""Build results archives off the event loop, and keep recent ones for reuse."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from .._results._assemble import Checkpoint, no_checkpoint
from .archive import encode_results
from .fixtures import FixtureResult, fixture_archive
from .predictions import GenerationParams, generate
from .tracks import PredictionType

_CACHE_SIZE = 16
_T = TypeVar("_T")
_IDLE_EXIT_SECONDS = 0.2
_logger = logging.getLogger("dragoneye.emulator")


class BuildAbandoned(Exception):
    """A build stopped because its builder was closed."""


def build_archive(digest: bytes, params: GenerationParams, checkpoint: Checkpoint = no_checkpoint) -> bytes:
    """The results archive (STORED zip) of media whose sha256 is `digest`.

    `checkpoint` is called between objects in each step; what it raises ends the build.
    """
    results = generate(digest, params, checkpoint)
    if results.prediction_type == "image":
        return encode_results(results.image_objects())
    return encode_results(results.video_objects(checkpoint), results.frame_timestamps, checkpoint)


class ArchiveBuilder:
    """Builds archives on worker threads; equal inputs share one build.

    The workers are daemon threads that close() does not join: shutting the
    emulator down never waits on a build still running. A running build stops
    at its next checkpoint instead, so it does not hold the GIL (and a core)
    while the process exits.
    """

    def __init__(self, workers: int = 2) -> None:
        self._executor = _DaemonExecutor(workers)
        self._lock = threading.Lock()
        self._recent: OrderedDict[tuple[bytes, GenerationParams], Future[bytes]] = OrderedDict()

    def submit(self, digest: bytes, params: GenerationParams) -> Future[bytes]:
        """The archive of `digest` under `params`, built or being built."""
        key = (digest, params)
        with self._lock:
            future = self._recent.get(key)
            if future is not None and not (future.done() and future.exception() is not None):
                self._recent.move_to_end(key)
                return future
            future = self._executor.submit(build_archive, digest, params, self._checkpoint)
            future.add_done_callback(_log_failure)
            self._recent[key] = future
            while len(self._recent) > _CACHE_SIZE:
                self._recent.popitem(last=False)
            return future

    def submit_fixture(self, result: FixtureResult, prediction_type: PredictionType) -> Future[bytes]:
        """The archive of a fixture's result, for a task of `prediction_type`."""
        future = self._executor.submit(fixture_archive, result, prediction_type)
        future.add_done_callback(_log_failure)
        return future

    def warm_up(self, prepare: Callable[[], object]) -> None:
        """Run `prepare` on a worker now, so the first request does not wait for it."""
        self._executor.submit(prepare)

    def close(self) -> None:
        """Cancel pending builds and let the workers go; a running build is abandoned."""
        self._executor.shutdown()

    def _checkpoint(self) -> None:
        if self._executor.closed:
            raise BuildAbandoned


class _DaemonExecutor:
    """A minimal thread pool of daemon threads (ThreadPoolExecutor's are joined at exit)."""

    def __init__(self, workers: int) -> None:
        self._queue: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]] | None] = (
            queue.SimpleQueue()
        )
        self.closed = False
        """True once shutdown() was called: nothing more is started."""
        self._threads = [
            threading.Thread(target=self._work, name=f"dragoneye-emulator-results-{number}", daemon=True)
            for number in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, func: Callable[..., _T], *args: Any) -> Future[_T]:
        future: Future[_T] = Future()
        if self.closed:
            future.cancel()
        else:
            self._queue.put((future, func, args))
        return future

    def shutdown(self) -> None:
        """Cancel what has not started; give idle workers a moment to end, running ones none."""
        self.closed = True
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[0].cancel()
        for _ in self._threads:
            self._queue.put(None)
        deadline = time.monotonic() + _IDLE_EXIT_SECONDS
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            future, func, args = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(func(*args))
            except BaseException as exc:  # the future carries it to whoever waits
                future.set_exception(exc)


def _log_failure(future: Future[bytes]) -> None:
    if not future.cancelled() and (error := future.exception()) is not None and not isinstance(error, BuildAbandoned):
        _logger.error("building a results archive failed; the task reads failed_prediction", exc_info=error)
