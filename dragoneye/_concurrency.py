"""Concurrency twins for the batch job: what unasync cannot derive.

unasync maps each `async_*` name used in dragoneye/_async/ to its `sync_*` twin:
anyio's task group, memory streams and condition for async code; threads, a
closable queue and threading's condition for blocking code.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable
from typing import Any, Self

import anyio
import anyio.abc
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream


def async_task_group() -> anyio.abc.TaskGroup:
    """Tasks started with `start_soon`, all awaited when the `async with` block ends."""
    return anyio.create_task_group()


def sync_task_group() -> ThreadGroup:
    """Threads started with `start_soon`, all joined when the `with` block ends."""
    return ThreadGroup()


def async_cancel(group: anyio.abc.TaskGroup) -> None:
    """Cancel every task of `group`."""
    group.cancel_scope.cancel()


def sync_cancel(group: ThreadGroup) -> None:
    """Threads cannot be cancelled: they stop at their next check of the job's flag."""


def async_condition() -> anyio.Condition:
    """A condition variable for tasks."""
    return anyio.Condition()


def sync_condition() -> threading.Condition:
    """A condition variable for threads."""
    return threading.Condition()


def async_channel(size: int) -> tuple[MemoryObjectSendStream[Any], MemoryObjectReceiveStream[Any]]:
    """A bounded queue between tasks: `await send(item)`, `await receive()`; EndOfStream once closed and empty."""
    return anyio.create_memory_object_stream[Any](size)


def sync_channel(size: int) -> tuple[Channel, Channel]:
    """The same between threads: one Channel serves as both ends."""
    channel = Channel(size)
    return channel, channel


async def async_receive_group(stream: MemoryObjectReceiveStream[Any], size: int, seconds: float) -> list[Any]:
    """Up to `size` items: the next one, then those sent within `seconds` after it; [] at the end of the stream.

    Waiting is a sleep, not a receive cancelled by a timeout: a cancelled
    receive can lose the item handed to it as the timeout fires.
    """
    try:
        group = [await stream.receive()]
    except anyio.EndOfStream:
        return []
    await anyio.sleep(seconds)
    while len(group) < size:
        try:
            group.append(stream.receive_nowait())
        except (anyio.WouldBlock, anyio.EndOfStream):
            break
    return group


def sync_receive_group(channel: Channel, size: int, seconds: float) -> list[Any]:
    """Up to `size` items: the next one, then those sent within `seconds` after it; [] at the end of the channel."""
    return channel.receive_group(size, seconds)


class ThreadGroup:
    """A minimal thread-backed twin of anyio's task group.

    Leaving the block joins every thread; the first error a thread raised is
    then raised in an ExceptionGroup, as a task group does.
    """

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []
        self._errors: list[Exception] = []

    def start_soon(self, func: Callable[..., object], *args: object) -> None:
        def run() -> None:
            try:
                func(*args)
            except Exception as exc:
                self._errors.append(exc)

        thread = threading.Thread(target=run, name="dragoneye-batch", daemon=True)
        self._threads.append(thread)
        thread.start()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for thread in self._threads:
            thread.join()
        if self._errors:
            raise ExceptionGroup("errors in batch threads", self._errors)


class Channel:
    """A bounded, closable queue between threads, shaped like an anyio memory stream."""

    def __init__(self, size: int) -> None:
        self._items: collections.deque[Any] = collections.deque()
        self._size = max(1, size)
        self._closed = False
        self._condition = threading.Condition()

    def send(self, item: Any) -> None:
        with self._condition:
            while len(self._items) >= self._size and not self._closed:
                self._condition.wait()
            if self._closed:
                raise anyio.ClosedResourceError
            self._items.append(item)
            self._condition.notify_all()

    def receive(self) -> Any:
        with self._condition:
            while not self._items and not self._closed:
                self._condition.wait()
            if not self._items:
                raise anyio.EndOfStream
            item = self._items.popleft()
            self._condition.notify_all()
            return item

    def receive_group(self, size: int, seconds: float) -> list[Any]:
        """Up to `size` items: the next one, then those sent within `seconds` after it; [] at the end."""
        try:
            group = [self.receive()]
        except anyio.EndOfStream:
            return []
        time.sleep(seconds)
        with self._condition:
            while self._items and len(group) < size:
                group.append(self._items.popleft())
            self._condition.notify_all()
        return group

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
