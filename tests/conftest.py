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
import pytest
import vcr

pytest_plugins = ["dragoneye.emulator.pytest_plugin"]

DATA = Path(__file__).parent / "data"


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Async tests run under both asyncio and trio."""
    return str(request.param)


@pytest.fixture
def image_path() -> Path:
    return DATA / "house.jpg"


@pytest.fixture
def video_path() -> Path:
    return DATA / "street.mp4"


# -- Cassettes -----------------------------------------------------------------
# Recorded once against the emulator (`make cassettes`), replayed with record
# mode "none" everywhere else: no server, no network.

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"
RECORDING = os.environ.get("DRAGONEYE_RECORD") == "1"
SCRUBBED = "SCRUBBED"
# Presigned-upload signatures, in the begin response and in the upload form.
_SIGNATURE = re.compile(rb'("x-dragoneye-signature":\s*")[^"]*(")|(name="x-dragoneye-signature"\r\n(?:[^\r\n]+\r\n)*\r\n)[^\r\n]*')
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
    """`with use_cassette("name"):` records to, or replays from, cassettes/name.yaml."""
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
