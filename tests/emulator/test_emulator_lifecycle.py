"""The in-process Emulator and the pytest fixtures: start fast, stop cleanly, leak nothing,
and never keep building results for a server that has stopped."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest

from dragoneye.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig
from dragoneye.emulator.predictions import GenerationParams
from dragoneye.emulator.results import ArchiveBuilder, BuildAbandoned, build_archive

from .helpers import SpecCheckedClient

_seen_session_emulators: list[Emulator] = []


def _emulator_threads() -> list[str]:
    return [thread.name for thread in threading.enumerate() if thread.name.startswith("dragoneye-emulator")]


def _refuses(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_function_fixture(dragoneye_emulator: Emulator) -> None:
    assert dragoneye_emulator.base_url.startswith("http://127.0.0.1:")
    assert dragoneye_emulator.api_key == DEFAULT_API_KEY
    with SpecCheckedClient(base_url=dragoneye_emulator.base_url) as client:
        assert client.get("/_emulator/health").status_code == 200


@pytest.mark.parametrize("round_", [1, 2])
def test_session_fixture_is_shared(dragoneye_emulator_session: Emulator, round_: int) -> None:
    _seen_session_emulators.append(dragoneye_emulator_session)
    assert all(emulator is dragoneye_emulator_session for emulator in _seen_session_emulators)
    assert len(_seen_session_emulators) == round_


def test_start_is_fast_and_stop_leaks_nothing() -> None:
    before = set(_emulator_threads())
    started = time.perf_counter()
    emulator = Emulator(EmulatorConfig(processing_delay=0))
    with emulator:
        assert time.perf_counter() - started < 1.0
        port = emulator.port
        with SpecCheckedClient(base_url=emulator.base_url, headers={"X-API-Key": emulator.api_key}) as client:
            begun = client.post("/prediction-task/begin", data={"mimetype": "image/png"})
            assert begun.status_code == 200
        assert set(_emulator_threads()) - before
    assert set(_emulator_threads()) == before
    assert _refuses(port)
    with pytest.raises(RuntimeError):
        _ = emulator.base_url


def test_stop_with_an_open_keep_alive_connection() -> None:
    with Emulator() as emulator, SpecCheckedClient(base_url=emulator.base_url) as client:
        assert client.get("/_emulator/health").status_code == 200
        emulator.stop()  # the client still holds its idle connection
        with pytest.raises(httpx.TransportError):
            client.get("/_emulator/health")


def test_restart_and_double_stop() -> None:
    emulator = Emulator()
    emulator.start()
    with pytest.raises(RuntimeError, match="already running"):
        emulator.start()
    emulator.stop()
    emulator.stop()
    with emulator, SpecCheckedClient(base_url=emulator.base_url) as client:
        assert client.get("/_emulator/health").status_code == 200


def test_stops_when_the_block_raises() -> None:
    emulator = Emulator()
    with pytest.raises(ZeroDivisionError), emulator:
        port = emulator.port
        _ = 1 / 0
    assert _refuses(port)


def test_two_emulators_side_by_side() -> None:
    with Emulator() as first, Emulator(EmulatorConfig(api_keys=("second-key",))) as second:
        assert first.port != second.port
        assert second.api_key == "second-key"
        with SpecCheckedClient() as client:
            assert (
                client.get(
                    f"{first.base_url}/prediction-task/status",
                    params={"predictionTaskUuid": "x"},
                    headers={"X-API-Key": "second-key"},
                ).status_code
                == 401
            )
            assert (
                client.get(
                    f"{second.base_url}/prediction-task/status",
                    params={"predictionTaskUuid": "x"},
                    headers={"X-API-Key": "second-key"},
                ).status_code
                == 404
            )


def test_a_taken_port_fails_at_start() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(OSError):
            Emulator(port=busy.getsockname()[1]).start()


def test_results_archive_helper(dragoneye_emulator: Emulator) -> None:
    emulator = dragoneye_emulator
    with SpecCheckedClient(base_url=emulator.base_url, headers={"X-API-Key": emulator.api_key}) as client:
        begun = client.post("/prediction-task/begin", data={"mimetype": "image/png"}).json()
        presigned = begun["signed_urls"][0]["presigned_post_request"]
        client.post(presigned["url"], data=presigned["fields"], files={"file": ("file", b"png")}, headers={})
        task_uuid = begun["prediction_task_uuid"]
        client.post("/predict", data={"model_name": "recognize_anything/m", "prediction_task_uuid": task_uuid})
        archive = emulator.results_archive(task_uuid)
        assert archive[:2] == b"PK"
    with pytest.raises(KeyError):
        emulator.results_archive("unknown")


_LONG_BUILD = GenerationParams("video", objects=20, frame_count=100_000, frames_per_second=1)


@pytest.mark.parametrize("stop_at", [1, 4, 7], ids=["generating", "converting", "encoding"])
def test_a_build_checks_in_before_every_object_of_every_step(stop_at: int) -> None:
    calls = 0

    def checkpoint() -> None:
        nonlocal calls
        calls += 1
        if calls == stop_at:
            raise BuildAbandoned

    params = GenerationParams("video", objects=3, frame_count=30, frames_per_second=1)
    with pytest.raises(BuildAbandoned):
        build_archive(b"\x00" * 32, params, checkpoint)
    assert calls == stop_at


def test_closing_the_builder_abandons_a_running_build_quietly(caplog: pytest.LogCaptureFixture) -> None:
    builder = ArchiveBuilder(workers=1)
    future = builder.submit(b"\x01" * 32, _LONG_BUILD)  # about 10 s to build in full
    deadline = time.monotonic() + 10
    while not future.running() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert future.running()
    closed = time.monotonic()
    builder.close()
    with pytest.raises(BuildAbandoned):
        future.result(timeout=5)
    assert time.monotonic() - closed < 3
    assert not [record for record in caplog.records if record.name == "dragoneye.emulator"]
