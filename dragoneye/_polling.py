"""How long to wait between status checks."""

from __future__ import annotations

from collections.abc import Iterator

from ._constants import POLL_GROWTH, POLL_INITIAL_INTERVAL


def poll_intervals(max_interval: float) -> Iterator[float]:
    """Waits between status checks: short at first, so quick tasks return soon,
    then growing geometrically to `max_interval`, so long tasks cost few calls."""
    interval = min(POLL_INITIAL_INTERVAL, max_interval)
    while True:
        yield interval
        interval = min(interval * POLL_GROWTH, max_interval)
