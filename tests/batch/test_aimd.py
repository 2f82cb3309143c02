"""The adaptive limits, on a fake clock: halve on refusals, grow back on successes, pace after a 429."""

from __future__ import annotations

import pytest

from dragoneye._aimd import Aimd
from dragoneye.emulator.ratelimit import RateLimiter, TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_refusal_halves_the_limit_once_per_burst_and_pauses() -> None:
    clock = Clock()
    aimd = Aimd(16, clock=clock)
    aimd.on_response(429, 2.0)
    aimd.on_response(429, 2.0)  # the same burst: counted, not halved again
    assert aimd.limit == 8
    assert aimd.throttled == 2
    assert aimd.pause_remaining() == pytest.approx(2.0)
    assert aimd.send_delay() == pytest.approx(2.0)
    clock.now += 2.5
    aimd.on_response(503, None)
    assert aimd.limit == 4
    assert aimd.pause_remaining() == 0


def test_successes_grow_the_limit_back_additively_up_to_the_ceiling() -> None:
    aimd = Aimd(8, clock=Clock())
    aimd.on_response(429, None)
    assert aimd.limit == 4
    for _ in range(4):
        aimd.on_response(200, None)
    assert 4.8 < aimd.limit < 5.1  # about one more per window of `limit` successes
    for _ in range(1000):
        aimd.on_response(200, None)
    assert aimd.limit == 8


def test_a_growing_limit_is_reported_to_wake_waiters() -> None:
    aimd = Aimd(8, clock=Clock())
    aimd.on_response(429, None)
    grew = [aimd.on_response(200, None) for _ in range(8)]
    assert grew.count(True) == 1 and int(aimd.limit) == 5  # once per whole slot gained
    assert aimd.on_response(429, None) is False


def test_a_long_run_of_successes_keeps_only_the_last_seconds_times() -> None:
    # Only the accepted rate over the last second is ever asked for; a job of a
    # million media must not keep the time of each of its five million calls.
    clock = Clock()
    aimd = Aimd(8, clock=clock)
    for _ in range(100_000):
        aimd.on_response(200, None)
        clock.now += 0.001
    assert len(aimd._accepted) <= 1001
    aimd.on_response(429, None)
    assert aimd.rate == pytest.approx(0.75 * 1000, rel=0.01)


def test_slots_follow_the_limit() -> None:
    aimd = Aimd(2, clock=Clock())
    assert aimd.try_acquire() and aimd.try_acquire()
    assert not aimd.try_acquire()
    aimd.release()
    assert aimd.try_acquire()


def test_calls_are_paced_below_the_accepted_rate_after_a_refusal() -> None:
    clock = Clock()
    aimd = Aimd(8, clock=clock)
    assert aimd.send_delay() == 0 and aimd.rate is None  # no pacing before a refusal
    for _ in range(40):  # 40 calls accepted within the last second
        aimd.on_response(200, None)
        clock.now += 0.02
    aimd.on_response(429, None)
    assert aimd.rate == pytest.approx(30.0)
    sent = 0
    start = clock.now
    while clock.now < start + 1.0:
        if aimd.send_delay() == 0:
            sent += 1
        clock.now += 0.001
    assert 28 <= sent <= 32


def test_the_token_bucket_allows_a_burst_then_the_rate() -> None:
    clock = Clock()
    bucket = TokenBucket(10.0, 3, clock=clock)
    assert [bucket.take() for _ in range(3)] == [None, None, None]
    assert bucket.take() == pytest.approx(0.1)
    clock.now += 0.11
    assert bucket.take() is None
    with pytest.raises(ValueError):
        TokenBucket(0, 1)


def test_the_rate_limiter_follows_its_settings() -> None:
    settings: list[tuple[float | None, int | None]] = [(None, None)]
    limiter = RateLimiter(lambda: settings[0])
    assert all(limiter.take() is None for _ in range(100))
    settings[0] = (1.0, 2)
    assert limiter.take() is None and limiter.take() is None
    assert limiter.take() is not None
