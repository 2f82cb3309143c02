"""Retry decisions: plain functions with no I/O, so tables of cases test them."""

from __future__ import annotations

import email.utils
import enum
import math
import random
import socket
import time
from collections.abc import Callable

import httpx

from ._constants import BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS, MAX_RETRY_AFTER_SECONDS

__all__ = [
    "Idempotency",
    "backoff_delay",
    "full_jitter",
    "parse_retry_after",
    "should_retry",
    "unreachable_reason",
]

RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
# Transport errors that a repeat would meet again.
PERMANENT_ERRORS = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)


class Idempotency(enum.Enum):
    """Whether repeating a request can do its work twice."""

    SAFE = "safe"  # status, results, upload: repeating is harmless
    UNSAFE = "unsafe"  # begin, predict: a repeat could begin a second task


def full_jitter(value: float) -> float:
    """A uniformly random wait in [0, value] (AWS's "full jitter")."""
    return random.uniform(0, value)


def should_retry(idempotency: Idempotency, *, status_code: int | None = None, error: Exception | None = None) -> bool:
    """Whether a response status or a transport error is worth another try.

    429 is always retried: the server refused the request without doing it. For
    an unsafe request any other failure may have been processed, so only a
    connection that never opened is retried. What repeating cannot fix (an
    unsupported URL scheme, a request httpx refuses to send) is never retried.
    """
    if status_code is not None:
        return status_code == 429 or (idempotency is Idempotency.SAFE and status_code in RETRYABLE_STATUSES)
    if isinstance(error, PERMANENT_ERRORS):
        return False
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True
    return idempotency is Idempotency.SAFE and isinstance(error, httpx.TransportError)


def unreachable_reason(error: BaseException) -> str | None:
    """Why nothing listens at the URL, when `error` says so: the connection was
    refused or the host name does not resolve. None for any other failure.

    These two fail fast (see UNREACHABLE_RETRY_SECONDS): a wrong URL or a server
    that is not running does not get better by waiting the full backoff.
    """
    if not isinstance(error, httpx.ConnectError):
        return None
    return _refusal(error, set())


def _refusal(error: BaseException, seen: set[int]) -> str | None:
    """Search `error`'s causes (and, for a group, every member) for a refusal or a failed lookup."""
    while id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, ConnectionRefusedError):
            return "connection refused"
        if isinstance(error, socket.gaierror):
            return "the host name does not resolve"
        if isinstance(error, BaseExceptionGroup):  # trio tries each address: all must have failed so
            reasons = {_refusal(member, seen) for member in error.exceptions}
            return reasons.pop() if len(reasons) == 1 else None
        cause = error.__cause__ or error.__context__
        if cause is None:
            return None
        error = cause
    return None


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date.

    Returns None when absent or unreadable; never negative; capped at
    MAX_RETRY_AFTER_SECONDS so a hostile header cannot stall a client.
    """
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


def backoff_delay(attempt: int, jitter: Callable[[float], float] = full_jitter) -> float:
    """The wait before retry number `attempt` (0-based): jittered exponential backoff."""
    return jitter(min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2.0**attempt))
