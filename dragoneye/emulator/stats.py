"""Counters of what the emulator saw and did, for tests and benchmarks."""

from __future__ import annotations

import threading
from typing import Any

OPERATIONS = (
    "beginPredictionTask",
    "uploadMedia",
    "predict",
    "getPredictionTaskStatus",
    "getPredictionTaskResults",
)
"""The operationIds of openapi.yaml, the keys of `EmulatorStats.calls`."""

_COUNTERS = (
    "requests_total",
    "begin_calls",
    "tasks_begun",
    "uploads_completed",
    "upload_bytes",
    "upload_requests_with_api_key",
    "predictions_started",
    "rate_limited",
    "errors_sent",
    "drops",
    "slowed",
    "unauthorized",
    "connections_opened",
)


class EmulatorStats:
    """Thread-safe counters; read the attributes, or `snapshot()` for a consistent copy.

    - `calls`: calls per operationId (every call that reached an operation's route,
      including those answered by an injected fault)
    - `requests_total`: API and upload calls
    - `begin_calls`, `tasks_begun`: calls to begin, and tasks it created
    - `uploads_completed`, `upload_bytes`: stored uploads and their bytes
    - `upload_requests_with_api_key`: uploads that (wrongly) carried X-API-Key
    - `predictions_started`: tasks moved to `predicting`
    - `rate_limited`, `errors_sent`, `drops`, `slowed`: injected 429s, 5xxs,
      dropped connections and delayed answers
    - `unauthorized`: 401 answers
    - `connections_opened`: TCP connections accepted
    """

    requests_total: int
    begin_calls: int
    tasks_begun: int
    uploads_completed: int
    upload_bytes: int
    upload_requests_with_api_key: int
    predictions_started: int
    rate_limited: int
    errors_sent: int
    drops: int
    slowed: int
    unauthorized: int
    connections_opened: int

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: dict[str, int] = {}
        self.reset()

    def reset(self) -> None:
        """Set every counter back to zero."""
        with self._lock:
            self.calls = dict.fromkeys(OPERATIONS, 0)
            for name in _COUNTERS:
                setattr(self, name, 0)

    def add(self, name: str, amount: int = 1) -> None:
        """Add `amount` to the counter `name`."""
        with self._lock:
            setattr(self, name, getattr(self, name) + amount)

    def add_call(self, operation: str) -> None:
        """Count one call to `operation` (an operationId)."""
        with self._lock:
            self.calls[operation] = self.calls.get(operation, 0) + 1
            self.requests_total += 1
            if operation == "beginPredictionTask":
                self.begin_calls += 1

    def snapshot(self) -> dict[str, Any]:
        """Every counter, as JSON-ready data."""
        with self._lock:
            data: dict[str, Any] = {name: getattr(self, name) for name in _COUNTERS}
            data["calls"] = dict(self.calls)
        return data
