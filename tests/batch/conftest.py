"""Fixtures of the batch tests: folders of distinct small images."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dragoneye.samples import SAMPLE_IMAGE

MODEL = "recognize_anything/batch"


@pytest.fixture
def make_images(tmp_path: Path) -> Callable[[int], Path]:
    """A folder of `count` distinct JPEGs (the sample with a few bytes appended): img0000.jpg, ..."""

    def make(count: int, folder: str = "media") -> Path:
        root = tmp_path / folder
        root.mkdir(exist_ok=True)
        data = Path(SAMPLE_IMAGE).read_bytes()
        for index in range(count):
            (root / f"img{index:04d}.jpg").write_bytes(data + index.to_bytes(4, "big"))
        return root

    return make
