"""Every Python code block in README.md and in the documentation site's pages
(docs/) runs, against the emulator."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from dragoneye.samples import SAMPLE_VIDEO

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").rglob("*.md"))]


def python_blocks(page: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.DOTALL)


BLOCKS = [(page, code) for page in PAGES for code in python_blocks(page)]
IDS = [f"{page.relative_to(ROOT)}-{python_blocks(page).index(code)}" for page, code in BLOCKS]


def test_readme_has_python_blocks() -> None:
    assert len(python_blocks(README)) >= 10


def test_every_guide_is_in_the_site_and_has_python_blocks_where_it_shows_code() -> None:
    nav = (ROOT / "mkdocs.yml").read_text()
    guides = sorted((ROOT / "docs" / "guides").glob("*.md"))
    assert len(guides) >= 11
    for guide in guides:
        assert f"guides/{guide.name}" in nav, f"{guide.name} is not in mkdocs.yml's nav"
    assert sum(len(python_blocks(page)) for page in PAGES[1:]) >= 10


@pytest.mark.parametrize(("page", "code"), BLOCKS, ids=IDS)
def test_readme_block_runs(
    page: Path,
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
    exec(compile(code, str(page), "exec"), namespace)
    for name, value in namespace.items():
        if name.startswith("test_") and callable(value):  # a pytest example: run it with its fixture
            value(dragoneye_emulator)
    output = capsys.readouterr()
    assert "Traceback" not in output.err
    if "print(" in code and "except" not in code:
        assert output.out.strip(), "a block that prints printed nothing"
