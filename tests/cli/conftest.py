"""Fixtures of the CLI tests: the session's emulator, its URL and key in the environment."""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dragoneye.emulator import Emulator
from dragoneye.samples import SAMPLE_IMAGE, SAMPLE_VIDEO


@pytest.fixture
def emulator(dragoneye_emulator_session: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    """The session's emulator, fresh counters, and DRAGONEYE_BASE_URL / DRAGONEYE_API_KEY pointing at it."""
    dragoneye_emulator_session.reset_stats()
    monkeypatch.setenv("DRAGONEYE_BASE_URL", dragoneye_emulator_session.base_url)
    monkeypatch.setenv("DRAGONEYE_API_KEY", dragoneye_emulator_session.api_key)
    return dragoneye_emulator_session


@pytest.fixture
def image() -> str:
    return str(SAMPLE_IMAGE)


@pytest.fixture
def video() -> str:
    return str(SAMPLE_VIDEO)


@pytest.fixture
def copies(tmp_path: Path) -> Callable[[list[str]], list[str]]:
    """Copies of the samples under the given names (the suffix picks image or video)."""

    def make(names: list[str]) -> list[str]:
        paths = []
        for name in names:
            source = SAMPLE_VIDEO if name.endswith(".mp4") else SAMPLE_IMAGE
            target = tmp_path / "in" / name
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(source, target)
            paths.append(str(target))
        return paths

    return make


class FakeTerminal(io.StringIO):
    """A stderr that says it is a terminal, so the progress line is drawn (and kept)."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def use_terminal(monkeypatch: pytest.MonkeyPatch) -> Callable[[], io.StringIO]:
    """Call it in the test's body (capsys swaps sys.stderr again when the test starts):
    sys.stderr becomes a FakeTerminal, which it returns."""

    def install() -> io.StringIO:
        fake = FakeTerminal()
        monkeypatch.setattr(sys, "stderr", fake)
        return fake

    return install
