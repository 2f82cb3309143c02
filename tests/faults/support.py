"""Helpers of the fault suite: distinct images, clients with instant retries, injected faults, fd counting."""

from __future__ import annotations

import os
import struct
import time
import zlib
from typing import Any

import pytest

from dragoneye import Image
from dragoneye.emulator import Emulator
from dragoneye.emulator.faults import Fault

from ..clients import Clients

MODEL = "recognize_anything/faults"
DISTINCT_IMAGES = 10
PREDICTIONS = 100
IN_FLIGHT = 16
# Under concurrency a call can meet 429 several times in a row; retries cost
# nothing here (Retry-After: 0, no jitter), so allow plenty.
MAX_RETRIES = 60


def png(seed: int, size: int = 8) -> bytes:
    """A small valid RGB PNG whose bytes depend on `seed`."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((seed * 31 + x * 7 + y * 3) % 256 for x in range(size * 3)) for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def image(index: int) -> Image:
    """The `index`th of the distinct images, named after it."""
    return Image.from_bytes(png(index), mime_type="image/png", name=f"image-{index}.png")


def clients(kind: str, emulator: Emulator) -> Clients:
    """A runner of `kind` for the emulator whose retries are plenty and instant."""
    return Clients(kind, emulator, max_retries=MAX_RETRIES)


def inject_faults(emulator: Emulator) -> None:
    """429 on every 2nd call, 503 on every 5th GET, and every 7th GET response cut off halfway.

    Drops are kept to GETs (status, results), which the client may safely
    repeat: a dropped answer to begin or predict cannot be retried without
    risking a second task (tests/faults/test_faults_single_call.py covers those).
    """
    emulator.reset_stats()
    emulator.config.update(
        {
            "rate_limit_every": 2,
            "retry_after": 0,
            "error_every": 5,
            "error_status": 503,
            "error_methods": ["GET"],
            "drop_every": 7,
            "drop_methods": ["GET"],
        }
    )


def open_fds() -> int:
    """How many file descriptors this process holds."""
    return len(os.listdir("/proc/self/fd"))


def settled_fds(at_most: int | None = None, timeout: float = 10.0) -> int:
    """The fd count once the in-process server has closed its side of finished connections.

    With `at_most`, waits (up to `timeout`) for the count to fall to it;
    otherwise until it stops changing.
    """
    deadline = time.monotonic() + timeout
    count = open_fds()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        previous, count = count, open_fds()
        if (at_most is not None and count <= at_most) or (at_most is None and count == previous):
            break
    return count


def count_retries(records: list[Any], action: str, reason: str) -> int:
    """How many times the client logged retrying `action` after `reason` (e.g. "HTTP 429")."""
    return sum(1 for record in records if record.getMessage().startswith(f"{action}: {reason}; retry"))


def drop_calls(emulator: Emulator, monkeypatch: pytest.MonkeyPatch, numbers: set[int]) -> None:
    """Cut off the answers to exactly these calls (1-based, counting from now) halfway through."""
    decide = emulator.service.faults.decide
    seen = 0

    def decide_drops(method: str) -> Fault | None:
        nonlocal seen
        seen += 1
        fault = decide(method)
        return Fault.DROP if seen in numbers else fault

    monkeypatch.setattr(emulator.service.faults, "decide", decide_drops)
    emulator.reset_stats()
