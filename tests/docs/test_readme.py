"""Every Python code block in README.md runs, against the emulator."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from dragoneye.samples import SAMPLE_VIDEO

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_readme_has_python_blocks() -> None:
    assert len(BLOCKS) >= 10


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_block_runs(
    code: str,
    dragoneye_emulator: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    image_path: Path,
    video_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shutil.copy(image_path, tmp_path / "photo.jpg")
    shutil.copy(video_path, tmp_path / "example.mp4")
    shutil.copy(SAMPLE_VIDEO, tmp_path / "clip.mp4")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DRAGONEYE_API_KEY", dragoneye_emulator.api_key)
    monkeypatch.setenv("DRAGONEYE_BASE_URL", dragoneye_emulator.base_url)
    namespace: dict[str, Any] = {"__name__": "readme"}
    exec(compile(code, str(README), "exec"), namespace)
    for name, value in namespace.items():
        if name.startswith("test_") and callable(value):  # a pytest example: run it with its fixture
            value(dragoneye_emulator)
    output = capsys.readouterr()
    assert "Traceback" not in output.err
    if "print(" in code and "except" not in code:
        assert output.out.strip(), "a block that prints printed nothing"
