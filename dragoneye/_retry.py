"""Retry decisions: plain functions with no I/O, so tables of cases test them."""

from __future__ import annotations

import email.utils
import enum
import math
import random
import time
from collections.abc import Callable

import httpx

from ._constants import BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS, MAX_RETRY_AFTER_SECONDS

__all__ = ["Idempotency", "backoff_delay", "full_jitter", "parse_retry_after", "should_retry"]

RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


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
    connection that never opened is retried.
    """
    if status_code is not None:
        return status_code == 429 or (idempotency is Idempotency.SAFE and status_code in RETRYABLE_STATUSES)
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True
    return idempotency is Idempotency.SAFE and isinstance(error, httpx.TransportError)


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
