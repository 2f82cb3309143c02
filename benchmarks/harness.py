"""Running scenario runners in fresh processes, and the rows of the results table."""

from __future__ import annotations

import dataclasses
import json
import os
import statistics
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

from .emulator_process import EmulatorProcess, stats_delta

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OURS_RUNNER = HERE / "ours_runner.py"
OFFICIAL_RUNNER = HERE / "official_runner.py"
RUNNER_TIMEOUT = 600.0


class RunnerError(RuntimeError):
    """A scenario runner failed; the message carries its stderr."""


@dataclasses.dataclass
class Row:
    """One line of the results table, with the raw figures behind it."""

    key: str
    scenario: str
    unit: str
    ours: float
    official: float
    target: str
    met: bool
    details: dict[str, Any] = dataclasses.field(default_factory=dict)
    why: str | None = None
    """Where a target is missed (or with --profile): the profile and the explanation."""

    @property
    def ratio(self) -> float:
        """ours / official."""
        return self.ours / self.official if self.official else float("inf")

    def as_json(self) -> dict[str, Any]:
        """The row as JSON-ready data."""
        data = dataclasses.asdict(self)
        data["ratio"] = self.ratio
        return data


class Bench:
    """Both clients' interpreters, the emulator they share and a scratch folder."""

    def __init__(
        self, emulator: EmulatorProcess, official_python: str, workdir: Path, profile_all: bool = False
    ) -> None:
        self.emulator = emulator
        self.profile_all = profile_all  # profile every scenario, not only those that miss their target
        # Ours runs where users have it: a venv with the SDK and its runtime
        # dependencies only (`make bench` builds it), as the official client
        # runs in its own. The dev venv's extra packages (httpx imports rich and
        # click when they are installed) would skew the import time.
        self.ours_python = os.environ.get("DRAGONEYE_RUNTIME_PYTHON") or sys.executable
        self.official_python = official_python
        self.workdir = workdir

    def spec(self, scenario: str, **fields: Any) -> dict[str, Any]:
        """A runner spec aimed at the shared emulator."""
        return {"scenario": scenario, "base_url": self.emulator.base_url, "api_key": self.emulator.api_key, **fields}

    def ours(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Run `spec` with this SDK in a fresh process."""
        return self._run([self.ours_python, "-I", str(OURS_RUNNER)], spec)

    def official(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Run `spec` with the official client in a fresh process of its own venv."""
        return self._run([self.official_python, "-I", str(OFFICIAL_RUNNER)], spec)

    def counted(self, client: str, spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """Run `spec` with `client` ("ours" or "official"); also the emulator's counters it moved."""
        before = self.emulator.stats()
        result = self.ours(spec) if client == "ours" else self.official(spec)
        return result, stats_delta(before, self.emulator.stats())

    def _run(self, argv: list[str], spec: dict[str, Any]) -> dict[str, Any]:
        # -I and a scratch cwd keep this repo off the path: each interpreter
        # imports its own installed `dragoneye`.
        completed = subprocess.run(
            [*argv, json.dumps(spec)],
            cwd=self.workdir,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=RUNNER_TIMEOUT,
            check=False,
        )
        if completed.returncode != 0:
            raise RunnerError(
                f"{Path(argv[-1]).name} {spec['scenario']} exited with {completed.returncode}:\n"
                f"{completed.stderr[-4000:]}\nemulator log:\n{self.emulator.log_tail()}"
            )
        lines = completed.stdout.strip().splitlines()
        if not lines:
            raise RunnerError(f"{Path(argv[-1]).name} {spec['scenario']} printed nothing:\n{completed.stderr[-4000:]}")
        result: dict[str, Any] = json.loads(lines[-1])
        return result


def clean_env() -> dict[str, str]:
    """The environment without anything that would change which `dragoneye` is imported."""
    return {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}


def median(values: list[float]) -> float:
    """The median of `values`."""
    return float(statistics.median(values))


def png_bytes(seed: int, size: int = 16) -> bytes:
    """A small valid RGB PNG whose pixels depend on `seed` (distinct seeds, distinct bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + bytes((seed * 7 + x * 13 + y * 29 + channel * 61) % 256 for x in range(size) for channel in range(3))
        for y in range(size)
    )
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def write_images(folder: Path, count: int) -> list[str]:
    """`count` distinct PNG files in `folder`; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"image-{index:04d}.png"
        path.write_bytes(png_bytes(index))
        paths.append(str(path))
    return paths


def top_profile(result: dict[str, Any], lines: int = 22) -> str:
    """The head of a profiled runner's cProfile tables."""
    parts = []
    for sort in ("tottime", "cumulative"):
        text = result.get(f"profile_by_{sort}")
        if text:
            parts.append(f"cProfile, ours, top by {sort}:\n" + "\n".join(text.splitlines()[:lines]))
    return "\n".join(parts)
