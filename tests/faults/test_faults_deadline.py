"""`timeout_seconds` under a slow or rate-limited server: the deadline covers the whole prediction.

The SDK's docstring says "`timeout_seconds` bounds the whole prediction ... and
raises PredictionTimeoutException when exceeded", and the README that "time
spent beginning the task and uploading counts against it". So once it has run
out, the client must not start more work (an upload, a prediction the caller
will never see) nor sleep through a Retry-After that ends past it. The checks
count calls, not seconds.
"""

from __future__ import annotations

import pytest

from dragoneye.emulator import Emulator
from dragoneye.types.exception import PredictionTimeoutException

from ..clients import Clients
from .support import MODEL, image

pytestmark = [pytest.mark.live, pytest.mark.timeout(30)]


def test_no_upload_nor_prediction_starts_after_the_deadline(run: Clients, dragoneye_emulator: Emulator) -> None:
    # Every answer takes 0.5 s, so the 0.1 s deadline has passed when begin answers.
    dragoneye_emulator.config.slow_response_seconds = 0.5
    with pytest.raises(PredictionTimeoutException, match=r"0\.1 s"):
        run(lambda client: client.classification.predict_image(image(0), MODEL, timeout_seconds=0.1))
    calls = dragoneye_emulator.stats.calls
    assert calls["beginPredictionTask"] == 1
    assert (calls["uploadMedia"], calls["predict"]) == (0, 0), "work was started after the deadline had passed"


def test_a_retry_after_that_ends_past_the_deadline_is_not_slept_through(
    run: Clients, dragoneye_emulator: Emulator
) -> None:
    dragoneye_emulator.config.update({"rate_limit_every": 1, "retry_after": 3})
    with pytest.raises(PredictionTimeoutException, match=r"0\.5 s"):
        run(
            lambda client: client.classification.predict_image(image(0), MODEL, timeout_seconds=0.5),
            max_retries=1,
            max_backoff_time=60,
        )
    # The retry would come 3 s after the first try, 2.5 s past the deadline.
    assert dragoneye_emulator.stats.begin_calls == 1
