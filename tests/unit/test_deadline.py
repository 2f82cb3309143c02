"""Deadline: one prediction's timeout_seconds, shared by its calls."""

from __future__ import annotations

import math

import httpx
import pytest

from dragoneye._deadline import Deadline
from dragoneye.types.exception import PredictionTimeoutException


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf, True, "5"])
def test_after_refuses_what_is_not_a_positive_number(bad: object) -> None:
    with pytest.raises(ValueError, match="timeout_seconds must be a positive number or None"):
        Deadline.after(bad)  # type: ignore[arg-type]


def test_after_none_is_no_deadline() -> None:
    assert Deadline.after(None) is None


def test_bound_cuts_every_phase_to_what_remains() -> None:
    deadline = Deadline(seconds=0.5)
    bounded = deadline.bound(httpx.Timeout(connect=10.0, read=0.2, write=600.0, pool=None))
    assert bounded.read == 0.2
    for phase in (bounded.connect, bounded.write, bounded.pool):
        assert phase is not None and 0.4 < phase <= 0.5


def test_a_passed_deadline_still_gives_requests_a_sliver() -> None:
    deadline = Deadline(seconds=1.0, start=0.0)  # long past
    assert deadline.remaining() < 0
    assert not deadline.allows(0.0)
    assert deadline.bound(httpx.Timeout(5.0)).read == 0.001


def test_allows_and_exceeded() -> None:
    deadline = Deadline(seconds=60.0)
    assert deadline.allows(1.0) and not deadline.allows(61.0)
    error = deadline.exceeded("timed out during upload")
    assert isinstance(error, PredictionTimeoutException)
    assert str(error) == "the prediction did not complete within 60.0 s (timed out during upload)"
