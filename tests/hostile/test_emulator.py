"""The emulator under attack: control needs the key and JSON, bodies are capped,
frames are bounded, and shutdown never waits on a build."""

from __future__ import annotations

import re
import select
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from dragoneye import Dragoneye, PredictionTaskError, PredictionTimeoutException, Video
from dragoneye.emulator import Emulator

from ..emulator.processes import running

VIDEO = Path(__file__).parents[1] / "data" / "street.mp4"
KEY = "emulator-key"


def vm_kib(pid: int, field: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+)", status).group(1))  # type: ignore[union-attr]


@contextmanager
def emulator_process() -> Iterator[tuple[subprocess.Popen[str], str]]:
    with running("--processing-delay", "0") as (process, url, _):
        yield process, url


def test_control_needs_the_key_and_json(dragoneye_emulator: Emulator) -> None:
    before = dragoneye_emulator.config.to_dict()
    with httpx.Client(base_url=dragoneye_emulator.base_url) as client:
        # What any web page can send: a simple text/plain POST, without the key.
        forged = client.post(
            "/_emulator/config", content=b'{"api_keys": ["mine"]}', headers={"Content-Type": "text/plain"}
        )
        assert forged.status_code == 401
        assert client.get("/_emulator/config").status_code == 401
        assert client.post("/_emulator/stats/reset").status_code == 401
        keyed = {"X-API-Key": dragoneye_emulator.api_key}
        plain = client.post(
            "/_emulator/config", content=b'{"fail_tasks": true}', headers={**keyed, "Content-Type": "text/plain"}
        )
        assert plain.status_code == 415
        assert dragoneye_emulator.config.to_dict() == before
        assert client.post("/_emulator/config", json={"fail_tasks": True}, headers=keyed).status_code == 200
        assert client.get("/_emulator/health").status_code == 200
    assert dragoneye_emulator.config.fail_tasks is True


def raw_post(url: str, path: str, head: dict[str, str], chunks: Iterator[bytes]) -> tuple[int, float]:
    """POST by hand (httpx sends a whole body before reading): the status, and the seconds it took."""
    host, port = url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        lines = [f"POST {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in head.items()), "", ""]
        sock.sendall("\r\n".join(lines).encode())
        try:
            for chunk in chunks:
                sock.sendall(chunk)
                if select.select([sock], [], [], 0)[0]:
                    break  # answered before the body ended: the point
        except OSError:
            pass  # the server answered and closed the connection
        answer = sock.recv(4096)
    return int(answer.split()[1]), time.monotonic() - started


@pytest.fixture(scope="module")
def emulator_cli() -> Iterator[tuple[subprocess.Popen[str], str]]:
    """The emulator in a process of its own, so that its peak memory is its own."""
    with emulator_process() as running:
        yield running


@pytest.mark.parametrize("chunked", [False, True])
def test_a_300_mib_body_is_not_read_whole(emulator_cli: tuple[subprocess.Popen[str], str], chunked: bool) -> None:
    size = 300 << 20
    process, url = emulator_cli
    base = vm_kib(process.pid, "VmRSS")
    Path(f"/proc/{process.pid}/clear_refs").write_text("5")
    head = {"X-API-Key": KEY, "Content-Type": "application/x-www-form-urlencoded"}
    block = b"a" * (1 << 20)
    if chunked:
        head["Transfer-Encoding"] = "chunked"
        chunks = (f"{len(block):x}\r\n".encode() + block + b"\r\n" for _ in range(300))
    else:
        head["Content-Length"] = str(size)
        chunks = (block for _ in range(300))
    status, seconds = raw_post(url, "/prediction-task/begin", head, chunks)
    growth = (vm_kib(process.pid, "VmHWM") - base) / 1024
    assert status in (413, 422)
    assert growth < 64, f"the emulator grew {growth:.0f} MiB"
    assert seconds < 10


def test_frames_are_bounded(dragoneye_emulator: Emulator) -> None:
    with Dragoneye(api_key=dragoneye_emulator.api_key, base_api_url=dragoneye_emulator.base_url) as client:
        started = time.monotonic()
        with pytest.raises(PredictionTaskError, match="more than the 100000 allowed"):
            client.classification.predict_video(
                Video.from_path(VIDEO), "recognize_anything/m", frames_per_second=10**12
            )
        assert time.monotonic() - started < 5


def test_sigterm_does_not_wait_on_a_running_build() -> None:
    with emulator_process() as (process, url):
        with Dragoneye(api_key=KEY, base_api_url=url) as client, pytest.raises(PredictionTimeoutException):
            # 20 objects x 100,000 frames takes the emulator several seconds to build.
            client.classification.predict_video(
                Video.from_path(VIDEO), "recognize_anything/m?objects=20&frames=100000", timeout_seconds=1.5
            )
        sent = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
        # The build alone takes over 30 s on a loaded machine; shutdown must not wait for it.
        assert time.monotonic() - sent < 10.0
