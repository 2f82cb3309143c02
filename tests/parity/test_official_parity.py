"""Our results equal the official client's, field for field, for the same media."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from dragoneye import Dragoneye, Image, Video

MODEL = "recognize_anything/parity?objects=6&frames=12"

OFFICIAL_SCRIPT = """
import asyncio, json, sys
from dragoneye import Dragoneye, Image, Video

async def main(base_url, api_key, image_path, video_path, model):
    client = Dragoneye(api_key=api_key, base_api_url=base_url)
    image = await client.classification.predict_image(Image.from_path(image_path), model)
    video = await client.classification.predict_video(Video.from_path(video_path), model, frames_per_second=2)
    print(json.dumps({"image": image.model_dump(mode="json"), "video": video.model_dump(mode="json")}))

asyncio.run(main(*sys.argv[1:]))
"""


@pytest.fixture
def official_python() -> str:
    python = os.environ.get("DRAGONEYE_OFFICIAL_PYTHON")
    if python and Path(python).exists():
        return python
    if os.environ.get("CI"):
        pytest.fail("DRAGONEYE_OFFICIAL_PYTHON is not set: run the tests with `make test`")
    pytest.skip("the official client's venv is missing: run `make official` or `make test`")


def _without_task_ids(result: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in result.items() if key != "prediction_task_uuid"}


def test_results_equal_the_official_clients(
    dragoneye_emulator: Any, official_python: str, image_path: Path, video_path: Path
) -> None:
    completed = subprocess.run(
        [
            official_python,
            "-I",  # isolated: never import our own `dragoneye` from the working directory
            "-c",
            OFFICIAL_SCRIPT,
            dragoneye_emulator.base_url,
            dragoneye_emulator.api_key,
            str(image_path),
            str(video_path),
            MODEL,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    official = json.loads(completed.stdout)

    with Dragoneye(api_key=dragoneye_emulator.api_key, base_api_url=dragoneye_emulator.base_url) as client:
        image = client.classification.predict_image(Image.from_path(image_path), MODEL)
        video = client.classification.predict_video(Video.from_path(video_path), MODEL, frames_per_second=2)

    assert len(image.objects) == 6 and len(video.frame_timestamps_microseconds) == 12
    assert _without_task_ids(image.to_dict()) == _without_task_ids(official["image"])
    assert _without_task_ids(video.to_dict()) == _without_task_ids(official["video"])
