"""The emulator in a subprocess, so its CPU time is not spent in the client's process."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

import httpx

from dragoneye.emulator.config import DEFAULT_API_KEY

_LISTENING = re.compile(r"listening on (http://\S+)")
_START_TIMEOUT = 60.0


class EmulatorProcess:
    """`python -m dragoneye.emulator --port 0` in a subprocess, with its control endpoints.

    The control client keeps one keep-alive connection open, so reading the
    stats does not itself add to `connections_opened` once it is established.
    """

    def __init__(self, python: str = sys.executable, api_key: str = DEFAULT_API_KEY) -> None:
        self._python = python
        self.api_key = api_key
        self.base_url = ""
        self._process: subprocess.Popen[str] | None = None
        self._log: IO[str] | None = None
        self._control: httpx.Client | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()

    def __enter__(self) -> Self:
        self._log = tempfile.NamedTemporaryFile("w+", prefix="dragoneye-emulator-", suffix=".log")
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self._process = subprocess.Popen(
            [self._python, "-m", "dragoneye.emulator", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=self._log,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        threading.Thread(target=self._drain, name="emulator-stdout", daemon=True).start()
        try:
            self.base_url = self._wait_for_url()
            self._control = httpx.Client(
                base_url=self.base_url, headers={"X-API-Key": self.api_key}, timeout=60.0, trust_env=False
            )
            self.stats()  # opens the control connection before anything is counted
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._control is not None:
            self._control.close()
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process is not None and self._process.stdout is not None:
            self._process.stdout.close()
        if self._log is not None:
            self._log.close()

    def _drain(self) -> None:
        """Read the emulator's stdout to the end, so it never blocks on a full pipe."""
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _wait_for_url(self) -> str:
        seen: list[str] = []
        while True:
            try:
                line = self._lines.get(timeout=_START_TIMEOUT)
            except queue.Empty:
                raise RuntimeError(f"the emulator did not start within {_START_TIMEOUT} s: {self.log_tail()}") from None
            if line is None:
                raise RuntimeError(f"the emulator exited before listening: {''.join(seen)}{self.log_tail()}")
            seen.append(line)
            match = _LISTENING.search(line)
            if match:
                return match.group(1).rstrip("/")

    def log_tail(self, chars: int = 2000) -> str:
        """The end of the emulator's stderr, for error messages."""
        if self._log is None:
            return ""
        self._log.flush()
        text = Path(self._log.name).read_text(errors="replace")
        return text[-chars:]

    def configure(self, **knobs: Any) -> None:
        """Change emulator knobs (see EmulatorConfig) through `POST /_emulator/config`."""
        assert self._control is not None
        response = self._control.post("/_emulator/config", json=knobs)
        response.raise_for_status()

    def stats(self) -> dict[str, Any]:
        """The emulator's counters (`GET /_emulator/stats`), plus its process's CPU seconds."""
        assert self._control is not None
        response = self._control.get("/_emulator/stats")
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        data["cpu_seconds"] = self.cpu_seconds()
        return data

    def cpu_seconds(self) -> float:
        """User + system CPU time the emulator's process has used (Linux /proc)."""
        assert self._process is not None
        fields = Path(f"/proc/{self._process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stats_delta(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The counters' growth between two snapshots (per-operation calls included)."""
    delta: dict[str, Any] = {}
    for name, value in after.items():
        if isinstance(value, dict):
            old = before.get(name, {})
            delta[name] = {key: count - old.get(key, 0) for key, count in value.items() if isinstance(count, int)}
        elif isinstance(value, int | float) and not isinstance(value, bool):
            delta[name] = value - before.get(name, 0)
    return delta
