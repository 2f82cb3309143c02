"""Fixtures shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["dragoneye.emulator.pytest_plugin"]

DATA = Path(__file__).parent / "data"


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Async tests run under both asyncio and trio."""
    return str(request.param)


@pytest.fixture
def image_path() -> Path:
    return DATA / "house.jpg"


@pytest.fixture
def video_path() -> Path:
    return DATA / "street.mp4"
