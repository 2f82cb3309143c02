"""A one-line progress display on stderr while media upload and predictions run.

Media to watch is loaded as `TrackedImage` / `TrackedVideo`: their `open()`
(called by the client for the upload, and closed when the upload is done)
reports the bytes read, so the display knows each file's phase without any
hook in the client.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, BinaryIO, Self, TextIO, cast

from ..types.media import Image, Video

_SPINNER = "|/-\\"

STARTING, UPLOADING, WAITING, DONE, FAILED = "starting", "uploading", "waiting", "done", "failed"


class _Task:
    __slots__ = ("name", "phase", "sent", "total")

    def __init__(self, name: str, total: int | None) -> None:
        self.name = name
        self.phase = STARTING
        self.sent = 0
        self.total = total


class Progress:
    """Tracks each media's phase and redraws one status line every `interval` seconds.

    Disabled (the default when stderr is not a terminal), it tracks but never writes.
    """

    def __init__(self, stream: TextIO, *, enabled: bool, interval: float = 0.1) -> None:
        self._stream = stream
        self._enabled = enabled
        self._interval = interval
        self._lock = threading.RLock()
        self._tasks: list[_Task] = []
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._width = 0
        self._tick = 0
        self._retry_note = ""
        self._retry_until = 0.0

    @property
    def enabled(self) -> bool:
        """Whether the display writes anything."""
        return self._enabled

    def add(self, name: str, total: int | None) -> int:
        """Start tracking a media; returns its index."""
        with self._lock:
            self._tasks.append(_Task(name, total))
            return len(self._tasks) - 1

    def update(self, index: int, *, phase: str | None = None, sent: int | None = None) -> None:
        """Record a media's phase and/or the bytes of it uploaded so far."""
        with self._lock:
            task = self._tasks[index]
            if phase is not None:
                task.phase = phase
            if sent is not None:
                task.sent = sent

    def retrying(self, note: str, delay: float) -> None:
        """Show `note` (e.g. "retrying 2/10: HTTP 503") while the retry waits, and a moment after."""
        with self._lock:
            self._retry_note = note
            self._retry_until = time.monotonic() + delay + 1.0

    @contextmanager
    def showing_retries(self) -> Iterator[None]:
        """Show the client's retries (which it logs) on the line while the block runs."""
        if not self._enabled:
            yield
            return
        handler = _RetryHandler(self)
        logger = logging.getLogger("dragoneye")
        level = logger.level
        logger.addHandler(handler)
        if not logger.isEnabledFor(logging.INFO):
            logger.setLevel(logging.INFO)
        try:
            yield
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)

    def line(self) -> str:
        """The status line as it would be drawn now."""
        with self._lock:
            tasks = list(self._tasks)
            self._tick += 1
            spin = _SPINNER[self._tick % len(_SPINNER)]
            now = time.monotonic()
            retry = f", {self._retry_note}" if now < self._retry_until else ""
        elapsed = f"{now - self._started:.1f}s"
        if len(tasks) == 1:
            return f"{spin} {tasks[0].name}: {_describe(tasks[0])}{retry} {elapsed}"
        finished = sum(task.phase in (DONE, FAILED) for task in tasks)
        counts = {phase: sum(task.phase == phase for task in tasks) for phase in (UPLOADING, WAITING)}
        failed = sum(task.phase == FAILED for task in tasks)
        parts = [f"{finished}/{len(tasks)} done"]
        parts += [f"{count} {phase}" for phase, count in counts.items() if count]
        if failed:
            parts.append(f"{failed} failed")
        return f"{spin} {', '.join(parts)}{retry} {elapsed}"

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Clear the line while other output is written, then carry on."""
        with self._lock:
            self._clear()
            yield

    def __enter__(self) -> Self:
        if self._enabled:
            self._thread = threading.Thread(target=self._run, name="dragoneye-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            self._clear()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            text = self.line()
            with self._lock:
                self._draw(text)

    def _draw(self, text: str) -> None:
        padding = " " * max(0, self._width - len(text))
        self._stream.write(f"\r{text}{padding}")
        self._stream.flush()
        self._width = len(text)

    def _clear(self) -> None:
        if self._enabled and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0


class _RetryHandler(logging.Handler):
    """Passes the client's "retrying" log records to a Progress."""

    def __init__(self, progress: Progress) -> None:
        super().__init__(logging.INFO)
        self._progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        retry = getattr(record, "dragoneye_retry", None)
        if retry is not None:
            attempt, limit, reason, delay = retry
            self._progress.retrying(f"retrying {attempt}/{limit}: {reason}", delay)


def _describe(task: _Task) -> str:
    if task.phase == UPLOADING:
        if task.total:
            percent = min(100, task.sent * 100 // task.total)
            return f"uploading {percent}% ({_size(task.sent)} of {_size(task.total)})"
        return f"uploading ({_size(task.sent)})"
    if task.phase == WAITING:
        return "waiting for the prediction"
    return task.phase


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    amount = count / 1024
    for unit in ("KB", "MB"):
        if amount < 1024:
            return f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{amount:.1f} GB"


class _CountingReader:
    """A read-only stream proxy that reports its position as it is read."""

    def __init__(self, raw: BinaryIO, progress: Progress, index: int) -> None:
        self._raw = raw
        self._progress = progress
        self._index = index
        self._position = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._position += len(data)
        self._progress.update(self._index, sent=self._position)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        self._position = self._raw.seek(offset, whence)
        self._progress.update(self._index, sent=self._position)
        return self._position

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class _Watched:
    """What TrackedImage and TrackedVideo add to a media: report the upload."""

    _progress: Progress | None
    _index: int

    def watch(self, progress: Progress, index: int) -> None:
        """Report this media's upload to `progress` as entry `index`."""
        self._progress = progress
        self._index = index

    @contextmanager
    def _watched(self, stream: BinaryIO) -> Iterator[BinaryIO]:
        progress = getattr(self, "_progress", None)
        if progress is None:
            yield stream
            return
        progress.update(self._index, phase=UPLOADING, sent=0)
        try:
            yield cast(BinaryIO, _CountingReader(stream, progress, self._index))
        finally:
            progress.update(self._index, phase=WAITING)


class TrackedImage(_Watched, Image):
    """An Image whose upload is shown by a Progress."""

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        """The content, read through a counter while a Progress watches."""
        with super().open() as stream, self._watched(stream) as watched:
            yield watched


class TrackedVideo(_Watched, Video):
    """A Video whose upload is shown by a Progress."""

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        """The content, read through a counter while a Progress watches."""
        with super().open() as stream, self._watched(stream) as watched:
            yield watched
