"""Adaptive concurrency: additive increase, multiplicative decrease (as TCP does).

Two limits adapt to the API's answers:

- the predictions in flight start at the ceiling the user gave; a 429 or a 503
  halves them, and each success adds 1/limit (one more per window of successes);
- the pace of API calls: unlimited until the first 429 or 503, then 3/4 of the
  calls the API accepted over the last second, growing by 5% a second while
  calls succeed and cut by a quarter again at the next refusal.

Each refusal also pauses every call for the Retry-After the server sent. A burst
of refusals to calls already in flight counts once (a cool-down). Pure
bookkeeping, no I/O, consistent under threads: each method holds a lock that
is never held across anything else.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable

THROTTLE_STATUSES = frozenset({429, 503})
_HALVE = 0.5
_SLOW_DOWN = 0.75
_SPEED_UP = 0.05
_COOL_DOWN = 0.25
_WINDOW = 1.0
_PACE_SLACK = 0.05


class Aimd:
    """How many predictions may be in flight, how fast calls may go, and until when all wait."""

    def __init__(self, ceiling: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        if ceiling < 1:
            raise ValueError(f"concurrency must be >= 1; got {ceiling!r}")
        self.ceiling = ceiling
        self.limit = float(ceiling)
        self.rate: float | None = None
        """API calls a second, None until the API first refuses one."""
        self.in_flight = 0
        self.throttled = 0
        self._clock = clock
        self._paused_until = 0.0
        self._cool_until = 0.0
        self._next_send = 0.0
        self._accepted: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def pause_remaining(self) -> float:
        """Seconds everything must still wait after a refusal (0 if none)."""
        return max(0.0, self._paused_until - self._clock())

    def try_acquire(self) -> bool:
        """Take a prediction slot if one is free under the current limit."""
        with self._lock:
            if self.in_flight < int(self.limit):
                self.in_flight += 1
                return True
            return False

    def release(self) -> None:
        """Give a prediction slot back."""
        with self._lock:
            self.in_flight -= 1

    def send_delay(self) -> float:
        """0 and a booked turn if an API call may go now, else the seconds to wait."""
        with self._lock:
            now = self._clock()
            if now < self._paused_until:
                return self._paused_until - now
            if self.rate is None:
                return 0.0
            start = max(self._next_send, now - _PACE_SLACK)
            if start > now:
                return start - now
            self._next_send = start + 1.0 / self.rate
            return 0.0

    def on_response(self, status_code: int, retry_after: float | None) -> bool:
        """Adapt to one answer of the API; True if more predictions may now be in flight."""
        with self._lock:
            before = int(self.limit)
            self._adapt(self._clock(), status_code, retry_after)
            return int(self.limit) > before

    def _adapt(self, now: float, status_code: int, retry_after: float | None) -> None:
        if status_code in THROTTLE_STATUSES:
            self.throttled += 1
            self._paused_until = max(self._paused_until, now + (retry_after or 0.0))
            if now >= self._cool_until:
                self._cool_until = now + max(retry_after or 0.0, _COOL_DOWN)
                self.limit = max(1.0, self.limit * _HALVE)
                accepted = self._accepted_rate(now)
                current = accepted if self.rate is None else min(self.rate, max(accepted, 1.0))
                self.rate = max(1.0, current * _SLOW_DOWN)
        elif status_code < 400:
            self._accepted.append(now)
            self._forget_before(now - _WINDOW)
            self.limit = min(float(self.ceiling), self.limit + 1.0 / self.limit)
            if self.rate is not None:
                self.rate += _SPEED_UP

    def _accepted_rate(self, now: float) -> float:
        """API calls accepted in the last second."""
        self._forget_before(now - _WINDOW)
        return len(self._accepted) / _WINDOW

    def _forget_before(self, moment: float) -> None:
        # Trimmed on every success too: a job of a million media must not keep every success's time.
        while self._accepted and self._accepted[0] < moment:
            self._accepted.popleft()
