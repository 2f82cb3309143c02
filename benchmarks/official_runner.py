"""One benchmark scenario with the official client (PyPI dragoneye-python 2.0.1).

    $DRAGONEYE_OFFICIAL_PYTHON -I benchmarks/official_runner.py '<json spec>'

Run by the official venv's interpreter, isolated (-I) so that this repo's own
`dragoneye` is not on the path. Standalone: it imports nothing from this repo.
The twin of `benchmarks/ours_runner.py`: same spec, same JSON output.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

from dragoneye import Dragoneye, Image, Video

Spec = dict[str, Any]


def proc_status_kib(field: str) -> int:
    """A `VmRSS`/`VmHWM`-style field of /proc/self/status, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False where not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _small_video(path: str) -> Video:
    return Video.from_bytes(Path(path).read_bytes(), mime_type="video/mp4", name=Path(path).name)


def cpu_seconds() -> float:
    """User + system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _image(path: str) -> Image:
    return Image.from_bytes(Path(path).read_bytes(), mime_type="image/png", name=Path(path).name)


def _client(spec: Spec) -> Any:
    # Any: type checkers see this repo's `dragoneye`, whose blocking Dragoneye
    # has the same name; this file only ever runs with the official one.
    return Dragoneye(api_key=spec["api_key"], base_api_url=spec["base_url"])


async def latency(spec: Spec) -> dict[str, Any]:
    """`count` sequential predict_image calls, each timed."""
    client = _client(spec)
    image = _image(spec["image"])
    seconds = []
    for _ in range(spec["count"]):
        start = time.perf_counter()
        await client.classification.predict_image(media=image, model_name=spec["model"])
        seconds.append(time.perf_counter() - start)
    return {"seconds": seconds}


async def throughput(spec: Spec) -> dict[str, Any]:
    """Every image predicted with at most `concurrency` in flight (gather + semaphore)."""
    client = _client(spec)
    images = [_image(path) for path in spec["images"]]
    limit = asyncio.Semaphore(spec["concurrency"])

    async def one(image: Image) -> int:
        async with limit:
            result = await client.classification.predict_image(media=image, model_name=spec["model"])
        return len(result.objects)

    cpu_start, start = cpu_seconds(), time.perf_counter()
    counts = await asyncio.gather(*(one(image) for image in images))
    elapsed, cpu_end = time.perf_counter() - start, cpu_seconds()
    return {
        "seconds": elapsed,
        "predictions": len(counts),
        "objects": sum(counts),
        "run_cpu_seconds": cpu_end - cpu_start,
        "cpu_seconds": cpu_end,
    }


async def connections(spec: Spec) -> dict[str, Any]:
    """One prediction; the caller counts the emulator's connections around it."""
    result = await _client(spec).classification.predict_image(media=_image(spec["image"]), model_name=spec["model"])
    return {"objects": len(result.objects)}


async def rss(spec: Spec) -> dict[str, Any]:
    """Peak RSS above the baseline while predicting a large video from its path."""
    client = _client(spec)
    video = Video.from_path(spec["video"], mime_type="video/mp4")
    reset = reset_peak_rss()
    baseline = proc_status_kib("VmRSS")
    hwm_before = proc_status_kib("VmHWM")
    start = time.perf_counter()
    result = await client.classification.predict_video(media=video, model_name=spec["model"])
    elapsed = time.perf_counter() - start
    peak = proc_status_kib("VmHWM")
    return {
        "baseline_kib": baseline,
        "peak_kib": peak,
        "peak_reset": reset,
        "peak_above_baseline_bytes": (peak - (baseline if reset else max(baseline, hwm_before))) * 1024,
        "seconds": elapsed,
        "objects": len(result.objects),
    }


async def decode(spec: Spec) -> dict[str, Any]:
    """Predict a video once, then time get_video_results on the finished task."""
    client = _client(spec)
    video = _small_video(spec["video"])
    predicted = await client.classification.predict_video(media=video, model_name=spec["model"])
    uuid = predicted.prediction_task_uuid
    seconds = []
    for _ in range(spec["repeats"]):
        start = time.perf_counter()
        result = await client.classification.get_video_results(uuid)
        seconds.append(time.perf_counter() - start)
    return {
        "seconds": seconds,
        "objects": len(result.objects),
        "observations": sum(len(obj.bbox_observations) for obj in result.objects),
        "frames": len(result.frame_timestamps_microseconds),
    }


SCENARIOS = {
    "latency": latency,
    "throughput": throughput,
    "connections": connections,
    "rss": rss,
    "decode": decode,
}


def main() -> None:
    spec: Spec = json.loads(sys.argv[1])
    result = asyncio.run(SCENARIOS[spec["scenario"]](spec))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
