"""`python -m dragoneye.emulator` in a subprocess, for the tests that need it in a process of its own."""

from __future__ import annotations

import re
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

LINE = re.compile(r"^Dragoneye emulator listening on (http://127\.0\.0\.1:(\d+))\n$")


@contextmanager
def running(*args: str) -> Iterator[tuple[subprocess.Popen[str], str, float]]:
    """The CLI in a subprocess, its URL, and how long it took to print it; killed on exit if still running."""
    started = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-m", "dragoneye.emulator", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            ready, _, _ = select.select([process.stdout], [], [], 20)
            assert ready, "the emulator printed nothing"
            line = process.stdout.readline()
            elapsed = time.perf_counter() - started
            match = LINE.match(line)
            assert match, f"unexpected first line {line!r}"
            yield process, match.group(1), elapsed
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(10)
