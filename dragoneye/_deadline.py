"""The end of a prediction's `timeout_seconds`, shared by every call it makes."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

import attrs
import httpx

from .types.exception import PredictionTaskResultsUnavailableError, PredictionTimeoutException

# A request is never given less than this, so a nearly spent deadline still
# fails on its own clock rather than on a zero-length httpx timeout.
_MIN_REQUEST_SECONDS = 0.001


@attrs.frozen
class Deadline:
    """`seconds` after `start` (time.monotonic), a prediction has timed out."""

    seconds: float
    start: float = attrs.field(factory=time.monotonic)

    @classmethod
    def after(cls, timeout_seconds: float | None) -> Deadline | None:
        """The deadline for `timeout_seconds` from now; None waits forever.

        Raises ValueError unless `timeout_seconds` is a positive finite number or None.
        """
        if timeout_seconds is None:
            return None
        if (
            isinstance(timeout_seconds, bool)
            or not isinstance(timeout_seconds, int | float)
            or not math.isfinite(timeout_seconds)
            or timeout_seconds <= 0
        ):
            raise ValueError(f"timeout_seconds must be a positive number or None; got {timeout_seconds!r}")
        return cls(seconds=timeout_seconds)

    def remaining(self) -> float:
        """Seconds left; negative once passed."""
        return self.start + self.seconds - time.monotonic()

    def allows(self, wait: float) -> bool:
        """Whether `wait` more seconds still end before the deadline."""
        return wait < self.remaining()

    def bound(self, timeout: httpx.Timeout) -> httpx.Timeout:
        """`timeout` with every phase cut to what remains of the deadline."""
        left = max(self.remaining(), _MIN_REQUEST_SECONDS)

        def cut(phase: float | None) -> float:
            return left if phase is None else min(phase, left)

        return httpx.Timeout(
            connect=cut(timeout.connect), read=cut(timeout.read), write=cut(timeout.write), pool=cut(timeout.pool)
        )

    def exceeded(self, doing: str) -> PredictionTimeoutException:
        """The exception for a prediction that ran out of time while `doing`."""
        return PredictionTimeoutException(f"the prediction did not complete within {self.seconds} s ({doing})")


def timed_out(prediction_task_uuid: str, deadline: Deadline | None, status: str | None) -> PredictionTimeoutException:
    """The error of a task that did not finish in time, naming its last status."""
    seconds = deadline.seconds if deadline is not None else None
    last = f"last status {status!r}" if status is not None else "no status yet"
    return PredictionTimeoutException(
        f"prediction task {prediction_task_uuid} did not complete within {seconds} s ({last})"
    )


def check_time_left(deadline: Deadline | None, progress: str) -> None:
    """Start no further step once the prediction is out of time."""
    if deadline is not None and deadline.remaining() <= 0:
        raise deadline.exceeded(progress)


def decoding_checkpoint(deadline: Deadline | None, stop: threading.Event) -> Callable[[], None]:
    """What the results decoder calls between its steps: it raises once the
    deadline has passed, or once `stop` is set (the caller was cancelled and
    no longer waits for the result)."""

    def checkpoint() -> None:
        if stop.is_set():
            raise PredictionTaskResultsUnavailableError("decoding the results was abandoned: the call was cancelled")
        check_time_left(deadline, "while decoding the results")

    return checkpoint
