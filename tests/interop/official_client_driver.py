"""Drive the official client (PyPI dragoneye-python 2.0.1) against a base URL.

Run by tests/interop with the official venv's interpreter, in isolated mode
(`python -I`), so `import dragoneye` is the official package, never ours.

    python -I official_client_driver.py JOBS.json

JOBS.json: {"base_url": ..., "jobs": [{"id", "kind", ...}, ...]} where kind is
"image" or "video" (a prediction from a file) or "begin" (only begin a task).
Prints one JSON object: job id -> {"result": model_dump} or {"error", "message"}.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from dragoneye import Dragoneye, Image, Video


async def run_job(base_url: str, job: dict[str, Any]) -> dict[str, Any]:
    client = Dragoneye(api_key=job["api_key"], base_api_url=base_url, max_retries=job.get("max_retries", 10))
    classification = client.classification
    try:
        if job["kind"] == "image":
            image = Image.from_path(job["path"], mime_type=job["mime_type"], name=job.get("name"))
            result = await classification.predict_image(media=image, model_name=job["model_name"], timeout_seconds=60)
        elif job["kind"] == "video":
            video = Video.from_path(job["path"], mime_type=job["mime_type"], name=job.get("name"))
            result = await classification.predict_video(
                media=video,
                model_name=job["model_name"],
                frames_per_second=job.get("frames_per_second"),
                timeout_seconds=60,
            )
        elif job["kind"] == "begin":
            begun = await classification._begin_prediction_task(
                mime_type=job["mime_type"], frames_per_second=None, file_name=None
            )
            return {"result": begun.model_dump(mode="json")}
        else:
            raise ValueError(f"unknown job kind {job['kind']!r}")
    except Exception as error:
        return {"error": type(error).__name__, "message": str(error)}
    return {"result": result.model_dump(mode="json")}


async def main(path: str) -> None:
    with open(path) as file:
        spec = json.load(file)
    outcomes = await asyncio.gather(*(run_job(spec["base_url"], job) for job in spec["jobs"]))
    print(json.dumps({job["id"]: outcome for job, outcome in zip(spec["jobs"], outcomes, strict=True)}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
