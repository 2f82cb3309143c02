"""Fixtures shared by the whole suite."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
import vcr

from dragoneye import (
    BboxObservation,
    ImageDetectedObject,
    TimestampRange,
    VideoBboxObservation,
    VideoDetectedObject,
)

from .clients import KINDS
from .official import OfficialPython

pytest_plugins = ["dragoneye.emulator.pytest_plugin"]

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
OFFICIAL_PYTHON_ENV = "DRAGONEYE_OFFICIAL_PYTHON"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that drives the official client carries the `interop` marker."""
    for item in items:
        if "official_python" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.interop)


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Async tests run under both asyncio and trio."""
    return str(request.param)


@pytest.fixture(params=KINDS)
def client_kind(request: pytest.FixtureRequest) -> str:
    """Every kind of SDK client and transport: blocking, and async under asyncio (with each transport) and
    under trio (see tests/clients.py)."""
    return str(request.param)


@pytest.fixture(scope="session")
def official_python() -> OfficialPython:
    """The official client's interpreter: tests taking it are marked `interop`.

    `make test` names it in $DRAGONEYE_OFFICIAL_PYTHON; otherwise `.venv-official`
    is used if `make official` made it. Without it the test skips, and fails in CI.
    """
    configured = os.environ.get(OFFICIAL_PYTHON_ENV)
    python = Path(configured) if configured else ROOT / ".venv-official" / "bin" / "python"
    if python.exists():
        return OfficialPython(str(python))
    message = f"the official client's venv is missing ({python}): run `make official`, or `make test`, which sets it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def image_path() -> Path:
    return DATA / "house.jpg"


@pytest.fixture
def video_path() -> Path:
    return DATA / "street.mp4"


# -- Cassettes -----------------------------------------------------------------
# Recorded once against the emulator (`make cassettes`), replayed with record
# mode "none" everywhere else: no server, no network.

CASSETTES = Path(__file__).parent / "cassettes"
RECORDING = os.environ.get("DRAGONEYE_RECORD") == "1"
SCRUBBED = "SCRUBBED"
# Presigned-upload signatures, in the begin response and in the upload form.
_SIGNATURE = re.compile(
    rb'("x-dragoneye-signature":\s*")[^"]*(")|(name="x-dragoneye-signature"\r\n(?:[^\r\n]+\r\n)*\r\n)[^\r\n]*'
)
_BOUNDARY = re.compile(r"boundary=([^;\s]+)")


def _scrub(body: bytes) -> bytes:
    def replace(match: re.Match[bytes]) -> bytes:
        if match.group(1) is not None:
            return match.group(1) + SCRUBBED.encode() + match.group(2)
        return match.group(3) + SCRUBBED.encode()

    return _SIGNATURE.sub(replace, body)


def _normalized_body(request: Any) -> bytes:
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode()
    found = _BOUNDARY.search(request.headers.get("Content-Type", "") or request.headers.get("content-type", ""))
    if found:  # multipart boundaries are random by design
        body = body.replace(found.group(1).encode(), b"BOUNDARY")
    return _scrub(body)


def _body_matcher(recorded: Any, replayed: Any) -> None:
    assert _normalized_body(recorded) == _normalized_body(replayed), "request bodies differ"


def _scrub_request(request: Any) -> Any:
    if request.body:
        request.body = _scrub(request.body if isinstance(request.body, bytes) else request.body.encode())
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    body = response["body"].get("string")
    if isinstance(body, bytes) and b"x-dragoneye-signature" in body:
        response["body"]["string"] = _scrub(body)
        response["headers"].pop("content-length", None)
    return response


@attrs.frozen
class CassetteTarget:
    """Where a cassette test's client points: a live emulator when recording."""

    base_url: str
    api_key: str


@pytest.fixture
def cassette_target(request: pytest.FixtureRequest) -> Iterator[CassetteTarget]:
    if not RECORDING:
        # Nothing listens here: replay never connects.
        yield CassetteTarget(base_url="http://127.0.0.1:9", api_key="cassette-key")
        return
    from dragoneye.emulator import Emulator

    with Emulator() as emulator:
        yield CassetteTarget(base_url=emulator.base_url, api_key=emulator.api_key)


@pytest.fixture
def use_cassette() -> Callable[[str], AbstractContextManager[Any]]:
    """`with use_cassette("name"):` records to, or replays from, tests/cassettes/name.yaml."""
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="all" if RECORDING else "none",
        match_on=["method", "path", "query", "normalized_body"],
        filter_headers=["x-api-key"],
        before_record_request=_scrub_request,
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    )
    recorder.register_matcher("normalized_body", _body_matcher)
    return lambda name: recorder.use_cassette(f"{name}.yaml")


@pytest.fixture
def expected_result() -> Callable[[str, dict[str, Any]], dict[str, Any]]:
    """The result a cassette recorded (written when recording, read when replaying)."""

    def expected(name: str, actual: dict[str, Any]) -> dict[str, Any]:
        path = CASSETTES / f"{name}.result.json"
        if RECORDING:
            path.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n")
        return dict(json.loads(path.read_text()))

    return expected


# -- A scripted fake of the API, for exact retry and request checks ------------


class FakeAPI:
    """An httpx transport handler playing the API from a script.

    `script[operation]` is a list of what to answer, consumed in order, each an
    int status, an httpx.Response or an exception to raise; when a script runs
    out the operation succeeds. Every request is kept in `requests`.
    """

    STORAGE_URL = "http://127.0.0.1:9/storage/upload"

    def __init__(self) -> None:
        self.script: dict[str, list[Any]] = {}
        self.requests: list[httpx.Request] = []
        self.statuses = ["predicting", "predicted"]
        self.prediction_type = "image"
        self.results_headers = {"X-Original-File-Name": "photo.jpg", "X-Frames-Per-Second": "1"}

    def calls(self, operation: str) -> list[httpx.Request]:
        return [request for request in self.requests if self.operation(request) == operation]

    @staticmethod
    def operation(request: httpx.Request) -> str:
        return {
            "/prediction-task/begin": "begin",
            "/storage/upload": "upload",
            "/predict": "predict",
            "/prediction-task/status": "status",
            "/prediction-task/results": "results",
        }[request.url.path]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        operation = self.operation(request)
        scripted = self.script.get(operation) or []
        if scripted:
            answer = scripted.pop(0)
            if isinstance(answer, Exception):
                raise answer
            if isinstance(answer, httpx.Response):
                return answer
            return httpx.Response(answer, json={"detail": f"scripted {answer}"})
        answer_normally: Callable[[httpx.Request], httpx.Response] = getattr(self, f"_{operation}")
        return answer_normally(request)

    def _begin(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "prediction_task_uuid": "task-1",
                "prediction_type": self.prediction_type,
                "signed_urls": [
                    {
                        "blob_path": "b",
                        "presigned_post_request": {
                            "url": self.STORAGE_URL,
                            "fields": {"key": "b", "policy": "cG9saWN5", "x-signature": "sig"},
                        },
                    }
                ],
            },
        )

    def _upload(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(204)

    def _predict(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={})

    def _status(self, request: httpx.Request) -> httpx.Response:
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        return httpx.Response(
            200, json={"prediction_task_uuid": "task-1", "prediction_type": self.prediction_type, "status": status}
        )

    def _results(self, request: httpx.Request) -> httpx.Response:
        from dragoneye.emulator.archive import encode_results

        box = BboxObservation(normalized_bbox=(0.25, 0.25, 0.5, 0.75), bbox_score=0.5)
        if self.prediction_type == "image":
            objects: Any = [ImageDetectedObject(object_id=1, bbox_observation=box, categories=[])]
            frames = None
        else:
            objects = [
                VideoDetectedObject(
                    object_id=1,
                    timestamp_ranges=[TimestampRange(timestamp_start_us_inclusive=0, timestamp_end_us_inclusive=0)],
                    bbox_observations=[VideoBboxObservation(timestamp_microseconds=0, observation=box)],
                    categories=[],
                )
            ]
            frames = [0, 1_000_000]
        return httpx.Response(200, content=encode_results(objects, frames), headers=self.results_headers)


@pytest.fixture
def fake_api() -> FakeAPI:
    return FakeAPI()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Waits the clients would have slept, recorded instead of slept."""
    recorded: list[float] = []

    async def async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    def sync_sleep(seconds: float) -> None:
        recorded.append(seconds)

    from dragoneye._async import _sender as async_sender
    from dragoneye._sync import _sender as sync_sender

    monkeypatch.setattr(async_sender, "async_sleep", async_sleep)
    monkeypatch.setattr(sync_sender, "sync_sleep", sync_sleep)
    return recorded
