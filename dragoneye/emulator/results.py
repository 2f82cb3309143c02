"""Build results archives off the event loop, and keep recent ones for reuse."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from .archive import encode_results
from .fixtures import FixtureResult, fixture_archive
from .predictions import GenerationParams, generate
from .tracks import PredictionType

_CACHE_SIZE = 16
_logger = logging.getLogger("dragoneye.emulator")


def build_archive(digest: bytes, params: GenerationParams) -> bytes:
    """The results archive (STORED zip) of media whose sha256 is `digest`."""
    results = generate(digest, params)
    if results.prediction_type == "image":
        return encode_results(results.image_objects())
    return encode_results(results.video_objects(), results.frame_timestamps)


class ArchiveBuilder:
    """Builds archives on worker threads; equal inputs share one build."""

    def __init__(self, workers: int = 2) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dragoneye-emulator-results")
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
            future = self._executor.submit(build_archive, digest, params)
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
        """Stop the workers (pending builds are cancelled)."""
        self._executor.shutdown(wait=True, cancel_futures=True)


def _log_failure(future: Future[bytes]) -> None:
    if not future.cancelled() and (error := future.exception()) is not None:
        _logger.error("building a results archive failed; the task reads failed_prediction", exc_info=error)
