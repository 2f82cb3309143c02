"""Retry decisions, as tables of cases."""

from __future__ import annotations

import email.utils
import itertools
import socket

import httpx
import pytest

from dragoneye._constants import BACKOFF_CAP_SECONDS, MAX_RETRY_AFTER_SECONDS
from dragoneye._polling import poll_intervals
from dragoneye._retry import Idempotency, backoff_delay, parse_retry_after, should_retry, unreachable_reason

SAFE, UNSAFE = Idempotency.SAFE, Idempotency.UNSAFE
REQUEST = httpx.Request("GET", "http://127.0.0.1:9/")


@pytest.mark.parametrize(
    ("idempotency", "status", "expected"),
    [
        (SAFE, 429, True),
        (UNSAFE, 429, True),
        (SAFE, 502, True),
        (SAFE, 503, True),
        (SAFE, 504, True),
        (UNSAFE, 502, False),
        (UNSAFE, 503, False),
        (SAFE, 500, False),
        (SAFE, 400, False),
        (SAFE, 401, False),
        (SAFE, 404, False),
        (UNSAFE, 400, False),
    ],
)
def test_should_retry_status(idempotency: Idempotency, status: int, expected: bool) -> None:
    assert should_retry(idempotency, status_code=status) is expected


@pytest.mark.parametrize(
    ("idempotency", "error", "expected"),
    [
        (UNSAFE, httpx.ConnectError("refused", request=REQUEST), True),
        (UNSAFE, httpx.ConnectTimeout("slow", request=REQUEST), True),
        (UNSAFE, httpx.PoolTimeout("busy", request=REQUEST), True),
        (UNSAFE, httpx.RemoteProtocolError("dropped", request=REQUEST), False),
        (UNSAFE, httpx.ReadTimeout("slow", request=REQUEST), False),
        (UNSAFE, httpx.ReadError("reset", request=REQUEST), False),
        (SAFE, httpx.RemoteProtocolError("dropped", request=REQUEST), True),
        # What a repeat would meet again is never retried.
        (SAFE, httpx.UnsupportedProtocol("ftp", request=REQUEST), False),
        (SAFE, httpx.LocalProtocolError("bad header", request=REQUEST), False),
        (SAFE, httpx.ReadError("reset", request=REQUEST), True),
        (SAFE, httpx.ReadTimeout("slow", request=REQUEST), True),
        (SAFE, httpx.WriteError("broken pipe", request=REQUEST), True),
        (SAFE, ValueError("not a transport error"), False),
    ],
)
def test_should_retry_error(idempotency: Idempotency, error: Exception, expected: bool) -> None:
    assert should_retry(idempotency, error=error) is expected


def caused_by(error: httpx.TransportError, cause: BaseException) -> httpx.TransportError:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            caused_by(httpx.ConnectError("x", request=REQUEST), ConnectionRefusedError(111, "refused")),
            "connection refused",
        ),
        (
            caused_by(httpx.ConnectError("x", request=REQUEST), socket.gaierror(-2, "Name or service not known")),
            "the host name does not resolve",
        ),
        (  # trio: one refusal per address tried, in a group
            caused_by(
                httpx.ConnectError("x", request=REQUEST),
                ExceptionGroup("all", [ConnectionRefusedError(111, "a"), ConnectionRefusedError(111, "b")]),
            ),
            "connection refused",
        ),
        (  # one address refused, another timed out: not simply "nothing listening"
            caused_by(
                httpx.ConnectError("x", request=REQUEST),
                ExceptionGroup("all", [ConnectionRefusedError(111, "a"), TimeoutError("b")]),
            ),
            None,
        ),
        (caused_by(httpx.ConnectError("x", request=REQUEST), OSError("TLS handshake failed")), None),
        (caused_by(httpx.ConnectTimeout("x", request=REQUEST), ConnectionRefusedError(111, "refused")), None),
        (caused_by(httpx.ReadError("x", request=REQUEST), ConnectionRefusedError(111, "refused")), None),
    ],
)
def test_unreachable_reason(error: httpx.TransportError, expected: str | None) -> None:
    assert unreachable_reason(error) == expected


NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("soon", None),
        ("nan", None),
        ("0", 0.0),
        ("3", 3.0),
        (" 1.5 ", 1.5),
        ("-4", 0.0),
        ("100000", MAX_RETRY_AFTER_SECONDS),
        (email.utils.formatdate(NOW + 7, usegmt=True), 7.0),
        (email.utils.formatdate(NOW - 30, usegmt=True), 0.0),
        ("Wed, 31 Feb 2026 99:00:00 GMT", None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == expected


def test_backoff_grows_exponentially_to_a_cap() -> None:
    bounds = [backoff_delay(attempt, jitter=lambda bound: bound) for attempt in range(10)]
    assert bounds[:4] == [0.5, 1.0, 2.0, 4.0]
    assert max(bounds) == BACKOFF_CAP_SECONDS
    assert bounds == sorted(bounds)


def test_backoff_uses_full_jitter_by_default() -> None:
    delays = {backoff_delay(3) for _ in range(50)}
    assert all(0 <= delay <= 4.0 for delay in delays)
    assert len(delays) > 1


def test_poll_intervals_start_short_and_grow_to_the_cap() -> None:
    intervals = poll_intervals(1.0)
    first = [next(intervals) for _ in range(12)]
    checks = list(itertools.accumulate(first))
    assert checks[0] == pytest.approx(0.15)
    assert first[1:] == sorted(first[1:])
    assert first[-1] == 1.0
    # Until the cap, each check comes half the time waited so far after the last:
    # a task is seen done at most half its time late.
    assert checks[:5] == pytest.approx([0.15, 0.225, 0.3375, 0.50625, 0.759375])
    assert sum(first[:2]) < 0.25  # a 0.2 s task is seen done on the second check


def test_poll_intervals_never_exceed_a_small_cap() -> None:
    intervals = poll_intervals(0.05)
    assert [next(intervals) for _ in range(5)] == [0.05] * 5
