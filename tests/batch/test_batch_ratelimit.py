"""Against an API limited to R calls a second, a batch job settles near R without a storm of 429s."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest

from dragoneye import AsyncDragoneye
from dragoneye.batch import BatchJob
from dragoneye.emulator import Emulator, EmulatorConfig

from .conftest import MODEL

pytestmark = pytest.mark.live

RATE = 20.0
MEDIA = 60


def test_job_settles_near_the_rate_limit(make_images: Callable[[int], Path], tmp_path: Path) -> None:
    paths = sorted(make_images(MEDIA).iterdir())
    # Light results keep the emulator's CPU out of the measurement.
    config = EmulatorConfig(
        processing_delay=0.0, rate_limit_per_second=RATE, image_objects=1, attributes_per_category=0
    )
    with Emulator(config) as emulator:

        async def run() -> tuple[float, int]:
            async with AsyncDragoneye(api_key=emulator.api_key, base_api_url=emulator.base_url) as client:
                job = BatchJob(client, MODEL, ledger=tmp_path / "job.ledger", concurrency=8)
                async with job:
                    started = time.monotonic()
                    finished = [item async for item in job.run(paths)]
                    elapsed = time.monotonic() - started
            return elapsed, sum(item.ok for item in finished)

        elapsed, done = anyio.run(run)
        stats = emulator.stats.snapshot()
    assert done == MEDIA
    api_calls = stats["requests_total"] - stats["calls"]["uploadMedia"]
    accepted_per_second = (api_calls - stats["rate_limited"]) / elapsed
    refused = stats["rate_limited"] / stats["requests_total"]
    print(f"accepted {accepted_per_second:.1f} API calls/s of {RATE}; 429s {refused:.1%} of requests")
    assert accepted_per_second >= 0.8 * RATE
    assert refused <= 0.05
