"""`python -m dragoneye.emulator`: prints its URL fast, serves, stops cleanly on signals."""

from __future__ import annotations

import signal
import socket

import pytest

from dragoneye.emulator.__main__ import _parser as cli_parser
from dragoneye.emulator.__main__ import config_from_args, main

from .helpers import SpecCheckedClient
from .processes import running


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_cli_serves_and_stops_on_signal(stop_signal: signal.Signals) -> None:
    with running("--api-key", "cli-key", "--api-key", "other-key", "--processing-delay", "0") as (
        process,
        url,
        elapsed,
    ):
        assert elapsed < 3.0, f"took {elapsed:.2f} s to listen"
        with SpecCheckedClient(base_url=url) as client:
            begun = client.post(
                "/prediction-task/begin", data={"mimetype": "image/png"}, headers={"X-API-Key": "cli-key"}
            )
            assert begun.status_code == 200
            assert begun.json()["signed_urls"][0]["presigned_post_request"]["url"] == f"{url}/_storage/"
            other = client.get(
                "/prediction-task/status", params={"predictionTaskUuid": "x"}, headers={"X-API-Key": "other-key"}
            )
            assert other.status_code == 404
            default = client.get(
                "/prediction-task/status", params={"predictionTaskUuid": "x"}, headers={"X-API-Key": "emulator-key"}
            )
            assert default.status_code == 401
            control = client.get("/_emulator/config", headers={"X-API-Key": "cli-key"})
            assert control.json()["processing_delay"] == 0
        process.send_signal(stop_signal)
        assert process.wait(10) == 0
        assert process.stdout is not None and process.stdout.read() == ""
        assert process.stderr is not None and "Traceback" not in process.stderr.read()


def test_cli_fault_flags() -> None:
    with running("--rate-limit-every", "2", "--retry-after", "3", "--error-methods", "GET") as (process, url, _):
        with SpecCheckedClient(base_url=url, headers={"X-API-Key": "emulator-key"}) as client:
            config = client.get("/_emulator/config").json()
            assert config["rate_limit_every"] == 2
            assert config["error_methods"] == ["GET"]
            statuses = [client.get("/prediction-task/status", params={"predictionTaskUuid": "x"}) for _ in range(2)]
            assert [response.status_code for response in statuses] == [404, 429]
            assert statuses[1].headers["retry-after"] == "3"
            assert client.get("/_emulator/stats").json()["rate_limited"] == 1
        process.terminate()
        assert process.wait(10) == 0


def test_cli_reports_a_busy_port(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["--port", str(port)]) == 1
    assert "cannot listen" in capsys.readouterr().err


def test_cli_rejects_bad_knobs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--port", "0", "--drop-every", "0"])
    assert exit_info.value.code == 2
    assert "drop_every must be >= 1" in capsys.readouterr().err


def test_cli_flags_map_to_knobs() -> None:
    args = cli_parser().parse_args(
        [
            "--processing-delay",
            "0.2",
            "--video-objects",
            "9",
            "--video-duration",
            "3",
            "--error-every",
            "4",
            "--error-status",
            "502",
            "--drop-methods",
            "get",
            "--drop-every",
            "5",
            "--slow-response",
            "0.1",
            "--fail-tasks",
            "--upload-ttl",
            "-1",
        ]
    )
    config = config_from_args(args)
    assert (config.processing_delay, config.video_objects, config.video_duration_seconds) == (0.2, 9, 3.0)
    assert (config.error_every, config.error_status, config.drop_every) == (4, 502, 5)
    assert (config.slow_response_seconds, config.fail_tasks, config.upload_url_ttl_seconds) == (0.1, True, -1.0)
    assert config.drop_methods == frozenset({"GET"})
    assert config.api_keys == ("emulator-key",)
