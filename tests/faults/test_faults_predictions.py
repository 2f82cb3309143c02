"""100 predictions through injected faults: right results, no task begun twice, nothing leaked.

The emulator answers 429 to every 2nd call, 503 to every 5th GET, and cuts
some GET responses off halfway. Each client (async under asyncio and trio,
and blocking from worker threads) must still return, for every image, exactly
the result the same bytes get with no faults.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import pytest

from dragoneye import ClassificationPredictImageResponse, ImageDetectedObject
from dragoneye.emulator import Emulator

from .support import (
    DISTINCT_IMAGES,
    IN_FLIGHT,
    MODEL,
    PREDICTIONS,
    clients,
    count_retries,
    image,
    inject_faults,
    settled_fds,
)

pytestmark = [pytest.mark.live, pytest.mark.timeout(60)]


def check_results(
    results: list[ClassificationPredictImageResponse | None], fault_free: list[tuple[ImageDetectedObject, ...]]
) -> None:
    """Every prediction returned the fault-free objects of its image, and its own task."""
    assert len(results) == PREDICTIONS
    uuids = set()
    for index, result in enumerate(results):
        assert result is not None, f"prediction {index} returned nothing"
        expected = index % DISTINCT_IMAGES
        assert result.original_file_name == f"image-{expected}.png"
        assert result.objects == fault_free[expected], f"prediction {index} differs from the fault-free result"
        uuids.add(result.prediction_task_uuid)
    assert len(uuids) == PREDICTIONS


def check_server_side(emulator: Emulator, records: list[logging.LogRecord]) -> None:
    """Each task was begun and predicted exactly once; only 429s were retried on begin and predict."""
    stats = emulator.stats
    assert stats.rate_limited > 0 and stats.errors_sent > 0 and stats.drops > 0, "every kind of fault happened"
    assert stats.tasks_begun == PREDICTIONS
    assert stats.begin_calls - count_retries(records, "begin", "HTTP 429") == PREDICTIONS
    assert stats.predictions_started == PREDICTIONS
    assert stats.calls["predict"] - count_retries(records, "predict", "HTTP 429") == PREDICTIONS
    assert stats.uploads_completed == PREDICTIONS
    assert stats.upload_requests_with_api_key == 0
    # The client saw the other faults too, and retried them.
    assert count_retries(records, "status", "HTTP 503") + count_retries(records, "results", "HTTP 503") > 0
    lost = sum(
        count_retries(records, action, reason)
        for action in ("status", "results")
        for reason in ("RemoteProtocolError", "ReadError")
    )
    assert lost > 0, "no cut-off answer was retried"


@pytest.mark.anyio
async def test_async_client_through_faults(
    anyio_backend: str,
    dragoneye_emulator: Emulator,
    fault_free: list[tuple[ImageDetectedObject, ...]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="dragoneye")
    baseline = settled_fds()
    inject_faults(dragoneye_emulator)
    results: list[ClassificationPredictImageResponse | None] = [None] * PREDICTIONS
    limit = anyio.Semaphore(IN_FLIGHT)

    async with clients(anyio_backend, dragoneye_emulator).open_async() as client:

        async def predict(index: int) -> None:
            async with limit:
                results[index] = await client.classification.predict_image(image(index % DISTINCT_IMAGES), MODEL)

        async with anyio.create_task_group() as group:
            for index in range(PREDICTIONS):
                group.start_soon(predict, index)

    check_results(results, fault_free)
    check_server_side(dragoneye_emulator, caplog.records)
    assert settled_fds(at_most=baseline) <= baseline, "the closed client left file descriptors open"


def test_blocking_client_through_faults(
    dragoneye_emulator: Emulator,
    fault_free: list[tuple[ImageDetectedObject, ...]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="dragoneye")
    baseline = settled_fds()
    inject_faults(dragoneye_emulator)

    with (
        clients("blocking", dragoneye_emulator).blocking() as client,
        ThreadPoolExecutor(IN_FLIGHT // 2) as pool,
    ):

        def predict(index: int) -> ClassificationPredictImageResponse:
            return client.classification.predict_image(image(index % DISTINCT_IMAGES), MODEL)

        results: list[Any] = list(pool.map(predict, range(PREDICTIONS)))

    check_results(results, fault_free)
    check_server_side(dragoneye_emulator, caplog.records)
    assert settled_fds(at_most=baseline) <= baseline, "the closed client left file descriptors open"
