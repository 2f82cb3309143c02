"""Fewer collections while results are decoded; the collector stays on."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["DECODING_THRESHOLD", "fewer_collections"]

DECODING_THRESHOLD = 10_000
"""The collector's young-generation threshold while results are decoded (CPython's default is 700)."""


class _FewerCollections:
    """Raises the collector's young-generation threshold while decoding.

    Decoding a long video allocates about a million small acyclic objects.
    At the default threshold they start collections of every generation, and
    each full one rescans the growing result: half the time of decoding. With
    the threshold at DECODING_THRESHOLD the young generation is still
    collected, so other threads keep a working collector, but a 500-object,
    600-frame video starts no full collection. Decodes may run at once in
    worker threads: the first one in raises the threshold, the last one out
    restores it, unless someone changed it in between.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._found: tuple[int, int, int] = gc.get_threshold()
        self._set: tuple[int, int, int] = self._found

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._found = gc.get_threshold()
                young, *older = self._found
                if 0 < young < DECODING_THRESHOLD:  # 0: automatic collection is off; leave it so
                    gc.set_threshold(DECODING_THRESHOLD, *older)
                self._set = gc.get_threshold()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and gc.get_threshold() == self._set:
                    gc.set_threshold(*self._found)


fewer_collections = _FewerCollections()
