"""Our results equal the official client's, field for field, for the same media."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dragoneye import Dragoneye, Image, Video

from ..official import OfficialPython

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


def _without_task_ids(result: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in result.items() if key != "prediction_task_uuid"}


def test_results_equal_the_official_clients(
    dragoneye_emulator: Any, official_python: OfficialPython, image_path: Path, video_path: Path
) -> None:
    official = official_python.run_json(
        "-c",
        OFFICIAL_SCRIPT,
        dragoneye_emulator.base_url,
        dragoneye_emulator.api_key,
        str(image_path),
        str(video_path),
        MODEL,
    )

    with Dragoneye(api_key=dragoneye_emulator.api_key, base_api_url=dragoneye_emulator.base_url) as client:
        image = client.classification.predict_image(Image.from_path(image_path), MODEL)
        video = client.classification.predict_video(Video.from_path(video_path), MODEL, frames_per_second=2)

    assert len(image.objects) == 6 and len(video.frame_timestamps_microseconds) == 12
    assert _without_task_ids(image.to_dict()) == _without_task_ids(official["image"])
    assert _without_task_ids(video.to_dict()) == _without_task_ids(official["video"])
