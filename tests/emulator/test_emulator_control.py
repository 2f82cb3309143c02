"""The control endpoints, the config knobs, auth, and the spec checks themselves."""

from __future__ import annotations

import logging

import httpx
import pytest

from dragoneye.emulator import Emulator, EmulatorConfig
from dragoneye.emulator.validation import SpecRequest, SpecResponse, spec_path, validate_response

from .helpers import SpecCheckedClient, begin, predict, results, run_prediction

UNKNOWN = {"predictionTaskUuid": "00000000-0000-4000-8000-000000000000"}


def test_config_endpoint_reads_and_changes_knobs(client: SpecCheckedClient, emulator: Emulator) -> None:
    current = client.get("/_emulator/config").json()
    assert current["processing_delay"] == 0.05
    assert "api_keys" not in current
    changed = client.post(
        "/_emulator/config",
        json={"rate_limit_every": 2, "error_methods": ["get"], "retry_after": 1, "fail_tasks": True},
    )
    assert changed.status_code == 200
    assert changed.json()["rate_limit_every"] == 2
    assert changed.json()["error_methods"] == ["GET"]
    assert emulator.config.rate_limit_every == 2
    assert emulator.config.error_methods == frozenset({"GET"})
    assert emulator.config.retry_after == 1.0
    assert emulator.config.fail_tasks is True
    reset = client.post("/_emulator/config", json={"rate_limit_every": None})
    assert reset.json()["rate_limit_every"] is None


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"no_such_knob": 1}, "unknown emulator knob"),
        ({"rate_limit_every": 0}, "rate_limit_every must be >= 1"),
        ({"rate_limit_every": "3"}, "must be an integer"),
        ({"error_status": 418}, "error_status must be one of"),
        ({"error_methods": ["DELETE"]}, "error_methods may only hold"),
        ({"processing_delay": -1}, "processing_delay must be >= 0"),
        ({"fail_tasks": "yes"}, "fail_tasks must be true or false"),
        ([1, 2], "JSON object"),
    ],
)
def test_config_endpoint_rejects_bad_knobs(
    client: SpecCheckedClient, emulator: Emulator, body: object, problem: str
) -> None:
    before = emulator.config.to_dict()
    response = client.post("/_emulator/config", json=body)
    assert response.status_code == 400
    assert problem in response.json()["detail"]
    assert emulator.config.to_dict() == before


def test_config_endpoint_rejects_bad_json(client: SpecCheckedClient) -> None:
    response = client.post("/_emulator/config", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400


def test_stats_endpoint_and_reset(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    run_prediction(client, storage, b"data")
    stats = client.get("/_emulator/stats").json()
    assert stats["tasks_begun"] == 1
    assert stats["calls"]["uploadMedia"] == 1
    assert stats["connections_opened"] >= 2
    assert stats["tasks"] >= 1
    cleared = client.post("/_emulator/stats/reset").json()
    assert cleared["tasks_begun"] == 0
    assert client.get("/_emulator/stats").json()["requests_total"] == 0
    assert client.get("/_emulator/health").json() == {"status": "ok"}


def test_config_update_is_all_or_nothing() -> None:
    config = EmulatorConfig()
    with pytest.raises(ValueError, match="drop_every"):
        config.update({"rate_limit_every": 4, "drop_every": 0})
    assert config.rate_limit_every is None
    config.update({"api_keys": ["a", "b"], "error_methods": "post"})
    assert config.api_keys == ("a", "b")
    assert config.error_methods == frozenset({"POST"})
    with pytest.raises(ValueError):
        EmulatorConfig(api_keys=())


def test_knobs_are_checked_when_assigned_and_keys_stay_out_of_repr() -> None:
    config = EmulatorConfig(api_keys=("secret-key",))
    with pytest.raises(ValueError, match="rate_limit_every must be >= 1"):
        config.rate_limit_every = 0
    with pytest.raises(ValueError, match="keep_alive_seconds must be > 0"):
        config.keep_alive_seconds = 0
    assert config.rate_limit_every is None
    config.error_methods = frozenset({"get"})
    assert config.error_methods == frozenset({"GET"})
    config.retry_after = 2
    assert isinstance(config.retry_after, float)
    assert "secret-key" not in repr(config)


# ---- auth ----


def _api_calls(client: httpx.Client) -> list[httpx.Response]:
    return [
        client.post("/prediction-task/begin", data={"mimetype": "image/png"}),
        client.post("/predict", data={"model_name": "recognize_anything/m", "prediction_task_uuid": "x"}),
        client.get("/prediction-task/status", params=UNKNOWN),
        client.get("/prediction-task/results", params={**UNKNOWN, "response_version": "parquet_object"}),
    ]


def test_missing_key_is_401_everywhere(emulator: Emulator) -> None:
    with SpecCheckedClient(base_url=emulator.base_url) as anonymous:
        for response in _api_calls(anonymous):
            assert response.status_code == 401
            assert "Missing API key" in response.json()["detail"]
    assert emulator.stats.unauthorized == 4
    assert emulator.stats.tasks_begun == 0


def test_unknown_key_is_401_everywhere(emulator: Emulator) -> None:
    with SpecCheckedClient(base_url=emulator.base_url, headers={"X-API-Key": "not-a-key"}) as stranger:
        for response in _api_calls(stranger):
            assert response.status_code == 401
            assert "not valid" in response.json()["detail"]


def test_every_configured_key_is_accepted(emulator: Emulator) -> None:
    emulator.config.api_keys = ("first", "second")
    for key in ("first", "second"):
        with SpecCheckedClient(base_url=emulator.base_url, headers={"X-API-Key": key}) as keyed:
            assert begin(keyed)["prediction_type"] == "image"


def test_auth_comes_before_validation(emulator: Emulator) -> None:
    with SpecCheckedClient(base_url=emulator.base_url) as anonymous:
        assert anonymous.post("/prediction-task/begin", data={}).status_code == 401


def test_the_key_is_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    secret = "very-secret-key-0123456789"
    caplog.set_level(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")]
    levels = [logger.level for logger in loggers]
    try:
        with (
            Emulator(EmulatorConfig(api_keys=(secret,)), log_level="debug") as emu,
            SpecCheckedClient(base_url=emu.base_url, headers={"X-API-Key": secret}) as keyed,
            SpecCheckedClient(base_url=emu.base_url, headers={"X-API-Key": secret + "-wrong"}) as wrong,
        ):
            begun = keyed.post("/prediction-task/begin", data={"mimetype": "image/png"}).json()
            predict(keyed, begun["prediction_task_uuid"])
            results(keyed, begun["prediction_task_uuid"])
            wrong.get("/prediction-task/status", params=UNKNOWN)
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
    assert caplog.records, "debug logging was captured"
    assert secret not in caplog.text


# ---- the spec checks ----


def test_spec_is_found() -> None:
    assert spec_path().name == "openapi.yaml"
    assert spec_path().is_file()


def test_response_check_catches_a_wrong_body() -> None:
    request = SpecRequest("GET", "/prediction-task/status", query=[("predictionTaskUuid", "x")])
    good = SpecResponse(
        200,
        {"Content-Type": "application/json"},
        b'{"prediction_task_uuid": "x", "prediction_type": "image", "status": "predicted"}',
    )
    assert validate_response(request, good) == []
    missing_status = SpecResponse(200, {"Content-Type": "application/json"}, b'{"prediction_task_uuid": "x"}')
    assert validate_response(request, missing_status)
    error_without_detail = SpecResponse(404, {"Content-Type": "application/json"}, b'{"message": "no"}')
    assert validate_response(request, error_without_detail)
    undocumented_status = SpecResponse(302, {"Content-Type": "application/json"}, b"{}")
    assert validate_response(request, undocumented_status)


def test_response_check_reads_headers_of_results() -> None:
    request = SpecRequest(
        "GET", "/prediction-task/results", query=[("predictionTaskUuid", "x"), ("response_version", "parquet_object")]
    )
    zipped = SpecResponse(200, {"Content-Type": "application/zip", "X-Frames-Per-Second": "2"}, b"PK\x05\x06")
    assert validate_response(request, zipped) == []
    bad_fps = SpecResponse(200, {"Content-Type": "application/zip", "X-Frames-Per-Second": "0"}, b"PK\x05\x06")
    assert validate_response(request, bad_fps)
