"""The documentation site builds with --strict, and a real browser renders it:
headless Chromium (Debian's package; .ci/run installs it) loads the built home
page and an API reference page, dumps their DOM and takes screenshots."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as `make docs` builds it (mkdocs build --strict), into a temporary directory."""
    out = tmp_path_factory.mktemp("site")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    built = subprocess.run(
        [str(mkdocs), "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=240,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    return out


class Headings(HTMLParser):
    """The text of every h1/h2 of a document, with the h2s' ids."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []  # (tag, id, text)
        self._open: tuple[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "h2"):
            self._open = (tag, dict(attrs).get("id") or "")
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open[0]:
            self.found.append((*self._open, " ".join("".join(self._text).split()).rstrip("¶ ")))
            self._open = None


def render(page: Path, tmp_path: Path, screenshot: Path) -> tuple[list[tuple[str, str, str]], str]:
    """The headings and the DOM of `page` as Chromium renders it; a screenshot of it goes to `screenshot`
    (and is copied into $DRAGONEYE_KEEP_SCREENSHOTS when set, to look at)."""
    assert CHROMIUM is not None
    url = page.as_uri()
    common = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True)
    subprocess.run(
        [*common, f"--screenshot={screenshot}", "--window-size=1280,900", "--hide-scrollbars", url],
        capture_output=True,
        timeout=120,
        check=True,
    )
    if keep := os.environ.get("DRAGONEYE_KEEP_SCREENSHOTS"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(screenshot, Path(keep) / screenshot.name)
    parser = Headings()
    parser.feed(dom.stdout)
    return parser.found, dom.stdout


def test_the_site_builds_with_every_guide(site: Path) -> None:
    for guide in sorted((ROOT / "docs" / "guides").glob("*.md")):
        assert (site / "guides" / guide.stem / "index.html").is_file(), guide.name


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_a_browser_renders_the_home_page(site: Path, tmp_path: Path) -> None:
    screenshot = tmp_path / "home.png"
    headings, _ = render(site / "index.html", tmp_path, screenshot)
    texts = [text for _, _, text in headings]
    assert "Dragoneye Python SDK" in texts
    assert "Where to go next" in texts
    assert screenshot.stat().st_size > 10_000  # a page was drawn, not a blank


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_a_browser_renders_the_api_reference_from_the_docstrings(site: Path, tmp_path: Path) -> None:
    screenshot = tmp_path / "clients.png"
    headings, dom = render(site / "reference" / "clients" / "index.html", tmp_path, screenshot)
    assert ("h1", "", "Clients") in [(tag, "", text) for tag, _, text in headings if tag == "h1"]
    ids = {heading_id for tag, heading_id, _ in headings if tag == "h2"}
    assert {"dragoneye.Dragoneye", "dragoneye.AsyncDragoneye", "dragoneye.Classification"} <= ids
    assert "One pooled HTTP client serves every call" in dom  # AsyncDragoneye's docstring
    assert screenshot.stat().st_size > 10_000
