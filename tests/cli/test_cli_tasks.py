"""`dragoneye status` and `dragoneye results`, in-process against the emulator."""

from __future__ import annotations

import json
import socket
import time

import pytest

from dragoneye.cli import main
from dragoneye.emulator import Emulator

MODEL = "recognize_anything/cli_test"
Capture = pytest.CaptureFixture[str]


def predicted(path: str, capsys: Capture) -> dict[str, object]:
    assert main(["predict", path, "--model", MODEL, "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_status(emulator: Emulator, image: str, capsys: Capture) -> None:
    uuid = str(predicted(image, capsys)["prediction_task_uuid"])
    assert main(["status", uuid]) == 0
    assert capsys.readouterr().out.split() == [uuid, "image", "predicted"]
    assert main(["status", uuid, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "prediction_task_uuid": uuid,
        "prediction_type": "image",
        "status": "predicted",
    }


def test_results_image(emulator: Emulator, image: str, capsys: Capture) -> None:
    document = predicted(image, capsys)
    uuid = str(document["prediction_task_uuid"])
    assert main(["results", uuid, "--type", "image", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == document
    assert main(["results", uuid, "--type", "image"]) == 0
    assert capsys.readouterr().out.startswith(f"sample.jpg: image, {len(document['objects'])} object")  # type: ignore[arg-type]


def test_results_video(emulator: Emulator, video: str, capsys: Capture) -> None:
    document = predicted(video, capsys)
    uuid = str(document["prediction_task_uuid"])
    assert main(["results", uuid, "--type", "video", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == document
    assert main(["results", uuid, "--type", "video"]) == 0
    assert "tracked object" in capsys.readouterr().out


def test_unknown_task_is_a_failure(emulator: Emulator, capsys: Capture) -> None:
    assert main(["status", "00000000-0000-0000-0000-000000000000"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dragoneye: error: status failed") and err.count("\n") == 1


def test_results_of_an_unfinished_task(emulator: Emulator, image: str, capsys: Capture) -> None:
    assert main(["predict", image, "--model", MODEL + "?delay=30", "--timeout", "2"]) == 1
    uuid = capsys.readouterr().err.split("prediction task ")[1].split()[0]
    assert main(["results", uuid, "--type", "image"]) == 1
    assert capsys.readouterr().err.startswith("dragoneye: error: results failed")


def test_global_flags_override_the_environment(
    emulator: Emulator, image: str, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    monkeypatch.delenv("DRAGONEYE_BASE_URL")
    monkeypatch.setenv("DRAGONEYE_API_KEY", "wrong")
    argv = ["--base-url", emulator.base_url, "--api-key", emulator.api_key, "predict", image, "--model", MODEL]
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("sample.jpg: image")


def test_malformed_base_url_is_a_usage_error(emulator: Emulator, capsys: Capture) -> None:
    assert main(["--base-url", "ftp://example", "status", "u"]) == 2
    assert capsys.readouterr().err.startswith("dragoneye: error: base_api_url must start with")


def test_connection_flags_after_the_command(
    emulator: Emulator, image: str, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    monkeypatch.setenv("DRAGONEYE_API_KEY", "wrong")
    assert main(["predict", image, "--model", MODEL, "--api-key", emulator.api_key, "--json"]) == 0
    uuid = json.loads(capsys.readouterr().out)["prediction_task_uuid"]
    assert main(["--api-key", emulator.api_key, "status", uuid]) == 0  # before the command still counts
    assert capsys.readouterr().out.split()[-1] == "predicted"


def test_status_with_no_api_running_fails_fast_naming_the_url(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("DRAGONEYE_API_KEY", "key")
    started = time.monotonic()
    assert main(["status", "00000000-0000-0000-0000-000000000000", "--base-url", url]) == 1
    assert time.monotonic() - started < 8
    err = capsys.readouterr().err
    assert f"cannot reach the Dragoneye API at {url} (connection refused)" in err
    assert "emulator, is running" in err


@pytest.mark.parametrize(("sample", "kind"), [("image", "image"), ("video", "video")])
def test_results_takes_the_type_from_the_status(
    emulator: Emulator, sample: str, kind: str, request: pytest.FixtureRequest, capsys: Capture
) -> None:
    document = predicted(request.getfixturevalue(sample), capsys)
    uuid = str(document["prediction_task_uuid"])
    assert main(["results", uuid, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == document
    assert ("frames_per_second" in document) is (kind == "video")


@pytest.mark.parametrize(("sample", "wrong", "right"), [("image", "video", "image"), ("video", "image", "video")])
def test_a_wrong_type_says_what_the_task_is(
    emulator: Emulator, sample: str, wrong: str, right: str, request: pytest.FixtureRequest, capsys: Capture
) -> None:
    uuid = str(predicted(request.getfixturevalue(sample), capsys)["prediction_task_uuid"])
    assert main(["results", uuid, "--type", wrong]) == 1
    out, err = capsys.readouterr()
    article = "an" if right == "image" else "a"
    assert err == (
        f"dragoneye: error: task {uuid} is {article} {right} prediction, not {'an' if wrong == 'image' else 'a'}"
        f" {wrong} one: pass --type {right}, or leave --type out\n"
    )
    assert out == ""
