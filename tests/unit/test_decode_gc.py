"""Decoding keeps the garbage collector on, for every thread, and collecting;
it only makes young collections rarer, and restores the threshold as it found it."""

from __future__ import annotations

import gc
import random
import threading
import traceback
from collections.abc import Iterator
from typing import Any

import pytest

from dragoneye._results import decode_video_results
from dragoneye._results._gc import DECODING_THRESHOLD, fewer_collections
from dragoneye.emulator.archive import encode_results
from dragoneye.types.exception import PredictionTimeoutException

from ..results.samples import random_video_objects


@pytest.fixture
def default_threshold() -> Iterator[tuple[int, int, int]]:
    found = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        yield gc.get_threshold()
    finally:
        gc.set_threshold(*found)


def large_video() -> bytes:
    objects, timestamps = random_video_objects(random.Random(7), objects=200, frames=200)
    return encode_results(objects, timestamps)


def decode(body: bytes) -> Any:
    return decode_video_results(body, prediction_task_uuid="t", original_file_name=None, frames_per_second=1)


def test_the_collector_stays_on_and_collects_while_decoding(default_threshold: tuple[int, int, int]) -> None:
    body = large_video()
    decoding = threading.Event()
    seen: list[tuple[bool, int]] = []
    collections: list[int] = []

    def watch() -> None:  # records changes only: its own allocations would start collections
        while not decoding.is_set():
            now = (gc.isenabled(), gc.get_threshold()[0])
            if not seen or seen[-1] != now:
                seen.append(now)

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    watcher = threading.Thread(target=watch)
    gc.callbacks.append(count)
    watcher.start()
    try:
        result = decode(body)
    finally:
        decoding.set()
        watcher.join()
        gc.callbacks.remove(count)
    assert len(result.objects) == 200
    assert seen and all(enabled for enabled, _ in seen)
    assert (True, DECODING_THRESHOLD) in seen
    assert {threshold for _, threshold in seen} <= {700, DECODING_THRESHOLD}
    assert collections.count(0) >= 2  # the young generation is still collected during the decode
    assert gc.get_threshold() == default_threshold


def test_overlapping_decodes_restore_the_threshold(default_threshold: tuple[int, int, int]) -> None:
    first_in, second_in, release = threading.Event(), threading.Event(), threading.Event()
    seen: list[int] = []

    def first() -> None:
        with fewer_collections():
            first_in.set()
            second_in.wait(5)
        seen.append(gc.get_threshold()[0])  # the second decode is still running
        release.set()

    def second() -> None:
        first_in.wait(5)
        with fewer_collections():
            second_in.set()
            release.wait(5)
            seen.append(gc.get_threshold()[0])

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == [DECODING_THRESHOLD, DECODING_THRESHOLD]
    assert gc.get_threshold() == default_threshold


@pytest.mark.parametrize("young", [0, 50_000])
def test_a_threshold_of_zero_or_above_is_left_alone(young: int, default_threshold: tuple[int, int, int]) -> None:
    gc.set_threshold(young, 10, 10)
    with fewer_collections():
        assert gc.get_threshold() == (young, 10, 10)
    assert gc.get_threshold() == (young, 10, 10)


def test_a_threshold_changed_during_a_decode_is_kept(default_threshold: tuple[int, int, int]) -> None:
    with fewer_collections():
        gc.set_threshold(2_000, 10, 10)
    assert gc.get_threshold() == (2_000, 10, 10)


def test_a_failed_decode_restores_the_threshold(default_threshold: tuple[int, int, int]) -> None:
    with pytest.raises(Exception, match="not a valid ZIP"):
        decode(b"junk")
    assert gc.get_threshold() == default_threshold
    assert gc.isenabled()


def test_a_stopped_decode_keeps_none_of_its_work() -> None:
    """The exception of a decode stopped late holds no frame of the decoder, so
    nothing of the partly built result stays alive with it."""
    calls: list[None] = []

    def checkpoint() -> None:
        calls.append(None)
        if len(calls) == 3:  # the last look: the sightings and categories are built
            raise PredictionTimeoutException("out of time")

    with pytest.raises(PredictionTimeoutException) as caught:
        decode_video_results(
            large_video(), prediction_task_uuid="t", original_file_name=None, frames_per_second=1, checkpoint=checkpoint
        )
    assert len(calls) == 3
    frames = [frame.f_code.co_name for frame, _ in traceback.walk_tb(caught.value.__traceback__)]
    assert frames[1:] == ["decode_video_results", "_guarded"], frames  # from the test down to the re-raise
