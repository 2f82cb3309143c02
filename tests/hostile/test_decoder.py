"""Archives and parquet files that are small on the wire and huge decoded are refused
from their metadata; decoding honours the deadline and cancellation, and leaves the
collector alone."""

from __future__ import annotations

import time
from collections.abc import Callable

import anyio
import pytest

from dragoneye import AsyncDragoneye
from dragoneye._constants import DEFAULT_MAX_RESULT_VALUES

from . import bombs
from .conftest import assert_fails, probe
from .server import KEY, Exchange, HostileServer

DECODE_BOMB_MIB = 256  # the bound on peak memory growth for archive and parquet bombs


def serve(server: HostileServer, archive: bytes) -> None:
    def answer(exchange: Exchange) -> None:
        exchange.reply(200, archive, {"X-Frames-Per-Second": "1"})

    server.routes["/prediction-task/results"] = answer


@pytest.mark.parametrize(
    ("bomb", "names"),
    [
        (bombs.many_rows, "2,000,000 rows, more than the 100,000 allowed"),
        (bombs.many_values, "values, more than the 2,500,000 allowed (the client's max_result_values)"),
        (bombs.deflated, "inflates to more than"),
        (bombs.lying_footer, "18,000,013 values, more than the 2,500,000 allowed"),
    ],
)
def test_a_decoding_bomb_is_refused(server: HostileServer, bomb: Callable[[], bytes], names: str) -> None:
    serve(server, bomb())
    outcomes = probe(server, call="get_video_results")
    assert_fails(outcomes, "PredictionTaskResultsUnavailableError", peak_mib=DECODE_BOMB_MIB, seconds=10, names=names)


def test_a_long_string_shared_by_many_rows_is_held_once(server: HostileServer) -> None:
    serve(server, bombs.long_shared_name())
    for outcome in probe(server, call="get_video_results"):
        assert outcome["result"] == "ClassificationPredictVideoResponse", outcome
        assert outcome["peak_mib"] <= DECODE_BOMB_MIB, outcome
        assert outcome["seconds"] <= 10, outcome


def test_the_largest_result_within_the_default_budget_fits(server: HostileServer) -> None:
    observations = DEFAULT_MAX_RESULT_VALUES // 6 - 1000  # each has a timestamp, 4 coordinates and a score
    serve(server, bombs.many_values(observations))
    for outcome in probe(server, call="get_video_results"):
        assert outcome["result"] == "ClassificationPredictVideoResponse", outcome
        assert outcome["peak_mib"] <= DECODE_BOMB_MIB, outcome
        assert outcome["seconds"] <= 10, outcome


def test_a_client_may_allow_more_values(server: HostileServer) -> None:
    serve(server, bombs.many_values(1_000_000))
    refused = probe(server, call="get_video_results", kinds=["blocking"])
    assert_fails(refused, "PredictionTaskResultsUnavailableError", peak_mib=64, seconds=5, names="6,000,0")
    allowed = probe(server, call="get_video_results", kinds=["trio"], client={"max_result_values": 7_000_000})
    assert allowed[0]["result"] == "ClassificationPredictVideoResponse", allowed


def test_the_deadline_is_honoured_while_decoding(server: HostileServer) -> None:
    serve(server, bombs.many_values(1_000_000))  # seconds to decode, for a client that allows it
    outcomes = probe(
        server,
        call="predict_video",
        media=str(bombs.VIDEO),
        timeout=1.0,
        kinds=["blocking", "asyncio"],
        client={"max_result_values": 7_000_000},
    )
    assert_fails(outcomes, "PredictionTimeoutException", peak_mib=768, seconds=4)


def test_a_cancelled_decode_stops_at_once(server: HostileServer) -> None:
    serve(server, bombs.many_values(1_000_000))

    async def main() -> tuple[float, float]:
        async with AsyncDragoneye(api_key=KEY, base_api_url=server.url, max_result_values=7_000_000) as client:
            started = time.monotonic()
            with anyio.move_on_after(0.3):
                await client.classification.get_video_results("t")
            returned = time.monotonic() - started
            cpu = time.process_time()
            await anyio.sleep(1.0)
            return returned, time.process_time() - cpu

    returned, cpu_after = anyio.run(main)
    assert returned < 1.0
    assert cpu_after < 0.4  # the abandoned decode stopped at its next checkpoint
