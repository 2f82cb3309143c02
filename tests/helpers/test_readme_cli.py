"""README's console examples work as written: every plain `$ dragoneye ...` line runs
against the emulator (its Python blocks are run by tests/docs/test_readme.py)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from dragoneye.cli import main
from dragoneye.emulator import Emulator
from dragoneye.samples import SAMPLE_IMAGE, SAMPLE_VIDEO

DOC = Path(__file__).resolve().parents[2] / "README.md"
FENCE = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(DOC.read_text()) if lang == language]


def cli_lines() -> list[str]:
    """`$ dragoneye ...` lines that need no shell (no globs, pipes, redirects or placeholders)."""
    lines = [line[2:] for body in blocks("console") for line in body.splitlines() if line.startswith("$ dragoneye ")]
    return [line for line in lines if not set(line) & set("*|>&") and "..." not in line]


@pytest.fixture
def workdir(dragoneye_emulator_session: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory holding photo.jpg and clip.mp4, with the emulator in the environment."""
    shutil.copyfile(SAMPLE_IMAGE, tmp_path / "photo.jpg")
    shutil.copyfile(SAMPLE_VIDEO, tmp_path / "clip.mp4")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DRAGONEYE_BASE_URL", dragoneye_emulator_session.base_url)
    monkeypatch.setenv("DRAGONEYE_API_KEY", dragoneye_emulator_session.api_key)
    return tmp_path


def test_the_document_has_examples() -> None:
    assert len(cli_lines()) >= 3


@pytest.mark.parametrize("line", cli_lines())
def test_console_line_runs(line: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = shlex.split(line)[1:]
    assert main(argv) == 0, capsys.readouterr().err
