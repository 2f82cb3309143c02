"""The decoder's collector pause leaves the collector as it found it, across threads."""

from __future__ import annotations

import gc
import threading

from dragoneye._results._gc import gc_paused as _gc_paused


def test_overlapping_pauses_restore_the_collector() -> None:
    assert gc.isenabled()
    first_in, second_in, release = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with _gc_paused():
            first_in.set()
            second_in.wait(5)
        seen.append(gc.isenabled())  # the second decode is still running
        release.set()

    def second() -> None:
        first_in.wait(5)
        with _gc_paused():
            second_in.set()
            release.wait(5)
            seen.append(gc.isenabled())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == [False, False]
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        with _gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
