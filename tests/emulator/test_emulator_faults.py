"""Injected faults: 429 + Retry-After, 502/503, dropped connections, slow answers."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from dragoneye.emulator import Emulator, EmulatorConfig
from dragoneye.emulator.faults import Fault, FaultInjector

from .helpers import SpecCheckedClient, begin, run_prediction, upload, wait_done

UNKNOWN = {"predictionTaskUuid": "00000000-0000-4000-8000-000000000000"}


def _statuses(client: httpx.Client, count: int) -> list[int]:
    return [client.get("/prediction-task/status", params=UNKNOWN).status_code for _ in range(count)]


def test_every_kth_call_is_rate_limited(client: SpecCheckedClient, emulator: Emulator) -> None:
    emulator.config.rate_limit_every = 3
    assert _statuses(client, 7) == [404, 404, 429, 404, 404, 429, 404]
    assert emulator.stats.rate_limited == 2


def test_rate_limit_answer(client: SpecCheckedClient, emulator: Emulator) -> None:
    emulator.config.rate_limit_every = 1
    emulator.config.retry_after = 1.5
    response = client.post("/prediction-task/begin", data={"mimetype": "image/png"})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1.5"
    assert "detail" in response.json()
    emulator.config.retry_after = 0
    assert client.get("/prediction-task/status", params=UNKNOWN).headers["retry-after"] == "0"
    assert emulator.stats.tasks_begun == 0


def test_rate_limits_count_uploads_too(
    client: SpecCheckedClient, storage: SpecCheckedClient, emulator: Emulator
) -> None:
    begun = begin(client)
    emulator.config.rate_limit_every = 2
    first = upload(storage, begun, b"data")  # the 1st counted call
    second = upload(storage, begun, b"data")  # the 2nd
    assert (first.status_code, second.status_code) == (201, 429)
    assert second.headers["retry-after"] == "0"


def test_changing_a_knob_restarts_its_count(client: SpecCheckedClient, emulator: Emulator) -> None:
    emulator.config.rate_limit_every = 2
    assert _statuses(client, 3) == [404, 429, 404]
    emulator.config.rate_limit_every = 3
    assert _statuses(client, 3) == [404, 404, 429]
    emulator.config.rate_limit_every = None
    assert _statuses(client, 3) == [404, 404, 404]


@pytest.mark.parametrize("error_status", [502, 503])
def test_every_kth_get_fails(client: SpecCheckedClient, emulator: Emulator, error_status: int) -> None:
    emulator.config.error_every = 2
    emulator.config.error_status = error_status
    emulator.config.error_methods = frozenset({"GET"})
    seen = []
    for _ in range(3):
        seen.append(client.post("/prediction-task/begin", data={"mimetype": "image/png"}).status_code)
        seen.append(client.get("/prediction-task/status", params=UNKNOWN).status_code)
    assert seen == [200, 404, 200, error_status, 200, 404]
    assert emulator.stats.errors_sent == 1


def test_error_answer(client: SpecCheckedClient, emulator: Emulator) -> None:
    emulator.config.error_every = 1
    emulator.config.retry_after = 2
    unavailable = client.get("/prediction-task/status", params=UNKNOWN)
    assert unavailable.status_code == 503
    assert unavailable.headers["retry-after"] == "2"
    assert "503" in unavailable.json()["detail"]
    emulator.config.error_status = 502
    bad_gateway = client.post("/predict", data={"model_name": "recognize_anything/m", "prediction_task_uuid": "x"})
    assert bad_gateway.status_code == 502
    assert "retry-after" not in bad_gateway.headers


def test_dropped_connection_mid_response(client: SpecCheckedClient, emulator: Emulator) -> None:
    emulator.config.drop_every = 2
    assert client.get("/prediction-task/status", params=UNKNOWN).status_code == 404
    with pytest.raises(httpx.RemoteProtocolError, match=r"incomplete|without sending complete"):
        client.get("/prediction-task/status", params=UNKNOWN)
    # The client reconnects; the next call is fine.
    assert client.get("/prediction-task/status", params=UNKNOWN).status_code == 404
    assert emulator.stats.drops == 1
    assert emulator.stats.connections_opened == 2


def test_drops_can_be_kept_to_gets(client: SpecCheckedClient, emulator: Emulator) -> None:
    emulator.config.drop_every = 1
    emulator.config.drop_methods = frozenset({"GET"})
    assert begin(client)["prediction_type"] == "image"
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/prediction-task/status", params=UNKNOWN)
    assert emulator.stats.drops == 1


def test_dropped_results_download_after_the_work_is_done(
    client: SpecCheckedClient, storage: SpecCheckedClient, emulator: Emulator
) -> None:
    task_uuid, first = run_prediction(client, storage, b"drop me", "video/mp4")
    emulator.reset_stats()
    emulator.config.drop_every = 1
    with (
        httpx.Client(base_url=emulator.base_url, headers={"X-API-Key": emulator.api_key}) as raw,
        raw.stream(
            "GET",
            "/prediction-task/results",
            params={"predictionTaskUuid": task_uuid, "response_version": "parquet_object"},
        ) as response,
    ):
        assert response.status_code == 200
        assert int(response.headers["content-length"]) == len(first.content)
        with pytest.raises(httpx.RemoteProtocolError):
            response.read()


def test_dropped_empty_upload_answer(client: SpecCheckedClient, storage: SpecCheckedClient, emulator: Emulator) -> None:
    begun = begin(client)
    emulator.config.drop_every = 1
    with pytest.raises(httpx.RemoteProtocolError):
        upload(storage, begun, b"data")
    emulator.config.drop_every = None
    # The upload was stored before the connection dropped; retrying is harmless.
    assert upload(storage, begun, b"data").status_code == 201


def test_slow_responses(client: SpecCheckedClient, emulator: Emulator) -> None:
    emulator.config.slow_response_seconds = 0.2
    started = time.perf_counter()
    assert client.get("/prediction-task/status", params=UNKNOWN).status_code == 404
    assert time.perf_counter() - started >= 0.2
    assert emulator.stats.slowed == 1
    with pytest.raises(httpx.ReadTimeout):
        client.get("/prediction-task/status", params=UNKNOWN, timeout=0.05)


@pytest.mark.no_cover  # timed: tracing slows the spec checks on both sides more than the delay under test
def test_slow_responses_do_not_block_other_calls(emulator: Emulator) -> None:
    delay, calls = 0.5, 4
    emulator.config.slow_response_seconds = delay
    timings: list[float] = []

    def call() -> None:
        with SpecCheckedClient(base_url=emulator.base_url, headers={"X-API-Key": emulator.api_key}) as own:
            started = time.perf_counter()
            own.get("/prediction-task/status", params=UNKNOWN)
            timings.append(time.perf_counter() - started)

    threads = [threading.Thread(target=call) for _ in range(calls)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(timings) == calls and min(timings) >= delay
    # One at a time, the calls could not have finished before calls * delay.
    assert time.perf_counter() - started < calls * delay


def test_faults_leave_control_endpoints_alone(client: SpecCheckedClient, emulator: Emulator) -> None:
    emulator.config.rate_limit_every = 1
    for _ in range(3):
        assert client.get("/_emulator/stats").status_code == 200
    assert emulator.stats.requests_total == 0


def test_fault_injector_is_deterministic_across_threads() -> None:
    config = EmulatorConfig(rate_limit_every=5, error_every=7, drop_every=11)
    injector = FaultInjector(config)
    decisions: list[Fault | None] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(1000):
            decision = injector.decide("GET")
            with lock:
                decisions.append(decision)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts = {fault: decisions.count(fault) for fault in Fault}
    # 4000 calls: every 5th is a 429; 7ths that are not 5ths are errors; and so on.
    assert counts[Fault.RATE_LIMIT] == 800
    assert counts[Fault.ERROR] == len([n for n in range(1, 4001) if n % 7 == 0 and n % 5 != 0])
    assert counts[Fault.DROP] == len([n for n in range(1, 4001) if n % 11 == 0 and n % 5 != 0 and n % 7 != 0])


def test_fail_tasks_from_the_config(client: SpecCheckedClient, storage: SpecCheckedClient, emulator: Emulator) -> None:
    emulator.config.fail_tasks = True
    begun = begin(client)
    upload(storage, begun, b"data")
    client.post(
        "/predict", data={"model_name": "recognize_anything/m", "prediction_task_uuid": begun["prediction_task_uuid"]}
    )
    assert wait_done(client, begun["prediction_task_uuid"]).startswith("failed")


def test_connections_are_counted(emulator: Emulator) -> None:
    for _ in range(3):
        with SpecCheckedClient(base_url=emulator.base_url, headers={"X-API-Key": emulator.api_key}) as fresh:
            fresh.get("/prediction-task/status", params=UNKNOWN)
            fresh.get("/prediction-task/status", params=UNKNOWN)
    assert emulator.stats.connections_opened == 3
    assert emulator.stats.requests_total == 6
