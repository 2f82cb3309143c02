"""How long to wait before each status check."""

from __future__ import annotations

from collections.abc import Iterator

from ._constants import POLL_FIRST_CHECK, POLL_GROWTH


def poll_intervals(max_interval: float) -> Iterator[float]:
    """Waits before each status check, none longer than `max_interval`: the kth
    check comes POLL_FIRST_CHECK * POLL_GROWTH**k after the first wait began
    (each wait is POLL_GROWTH - 1 times the time waited so far), so quick tasks
    return soon and long ones cost few calls."""
    yield min(POLL_FIRST_CHECK, max_interval)
    interval = POLL_FIRST_CHECK * (POLL_GROWTH - 1)
    while True:
        yield min(interval, max_interval)
        interval *= POLL_GROWTH
