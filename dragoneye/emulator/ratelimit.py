"""A token bucket: the emulator's rate limit of R API calls per second, with a burst.

The bucket holds up to `burst` tokens and refills at `rate` tokens a second;
each API call takes one, and a call that finds it empty answers 429 with a
Retry-After of the time until the next token.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """Thread-safe; `clock` is injectable for tests."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        if not rate > 0:
            raise ValueError(f"rate must be > 0; got {rate!r}")
        if burst < 1:
            raise ValueError(f"burst must be >= 1; got {burst!r}")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens = float(burst)
        self._updated = clock()

    def take(self) -> float | None:
        """Take a token: None if there was one, else the seconds until there is."""
        with self._lock:
            now = self._clock()
            self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            if self._tokens >= 1:
                self._tokens -= 1
                return None
            return (1 - self._tokens) / self.rate


class RateLimiter:
    """The bucket for the config's current (rate, burst), rebuilt whenever they change."""

    def __init__(self, settings: Callable[[], tuple[float | None, int | None]]) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._bucket: TokenBucket | None = None
        self._key: tuple[float | None, int | None] = (None, None)

    def take(self) -> float | None:
        """None when the call may go on (or no limit is set), else the seconds to wait."""
        rate, burst = self._settings()
        if rate is None:
            return None
        with self._lock:
            if self._bucket is None or self._key != (rate, burst):
                self._bucket = TokenBucket(rate, burst if burst is not None else max(1, round(rate)))
                self._key = (rate, burst)
            bucket = self._bucket
        return bucket.take()

    def reset(self) -> None:
        """Start over with a full bucket."""
        with self._lock:
            self._bucket = None
