"""One benchmark scenario with this SDK, in a fresh process.

    python benchmarks/ours_runner.py '<json spec>'

Prints one JSON line: the scenario's raw figures. `benchmarks/official_runner.py`
is its twin for the official client; both take the same spec.
With `"profile": true` the scenario runs under cProfile and the output adds the
top functions.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import json
import pstats
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio

from dragoneye import AsyncDragoneye, Dragoneye, Image, Video
from dragoneye.batch import BatchResult, predict_many, predict_many_blocking

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


def _async_client(spec: Spec) -> AsyncDragoneye:
    return AsyncDragoneye(api_key=spec["api_key"], base_api_url=spec["base_url"])


async def latency(spec: Spec) -> dict[str, Any]:
    """`count` sequential predict_image calls, each timed."""
    image = _image(spec["image"])
    seconds = []
    async with _async_client(spec) as client:
        for _ in range(spec["count"]):
            start = time.perf_counter()
            await client.classification.predict_image(image, spec["model"])
            seconds.append(time.perf_counter() - start)
    return {"seconds": seconds}


def latency_blocking(spec: Spec) -> dict[str, Any]:
    """`latency` with the blocking client."""
    image = _image(spec["image"])
    seconds = []
    with Dragoneye(api_key=spec["api_key"], base_api_url=spec["base_url"]) as client:
        for _ in range(spec["count"]):
            start = time.perf_counter()
            client.classification.predict_image(image, spec["model"])
            seconds.append(time.perf_counter() - start)
    return {"seconds": seconds}


async def throughput(spec: Spec) -> dict[str, Any]:
    """Every image predicted with at most `concurrency` in flight on one client (gather + semaphore, as the
    official runner does)."""
    images = [_image(path) for path in spec["images"]]
    limit = asyncio.Semaphore(spec["concurrency"])
    async with _async_client(spec) as client:

        async def one(image: Image) -> int:
            async with limit:
                result = await client.classification.predict_image(image, spec["model"])
            return len(result.objects)

        cpu_start, start = cpu_seconds(), time.perf_counter()
        counts = await asyncio.gather(*(one(image) for image in images))
        elapsed, cpu_end = time.perf_counter() - start, cpu_seconds()
    return _throughput_figures(elapsed, counts, cpu_start, cpu_end)


def throughput_trio(spec: Spec) -> dict[str, Any]:
    """`throughput` under trio, through `predict_many`."""
    images = [_image(path) for path in spec["images"]]

    async def main() -> tuple[float, list[int], float, float]:
        async with _async_client(spec) as client:
            cpu_start, start = cpu_seconds(), time.perf_counter()
            results = await predict_many(client, images, spec["model"], concurrency=spec["concurrency"])
            elapsed, cpu_end = time.perf_counter() - start, cpu_seconds()
        return elapsed, [_objects(result) for result in results], cpu_start, cpu_end

    return _throughput_figures(*anyio.run(main, backend="trio"))


def throughput_blocking(spec: Spec) -> dict[str, Any]:
    """`throughput` with the blocking client on `concurrency` threads, through `predict_many_blocking`."""
    images = [_image(path) for path in spec["images"]]
    with Dragoneye(api_key=spec["api_key"], base_api_url=spec["base_url"]) as client:
        cpu_start, start = cpu_seconds(), time.perf_counter()
        results = predict_many_blocking(client, images, spec["model"], concurrency=spec["concurrency"])
        elapsed, cpu_end = time.perf_counter() - start, cpu_seconds()
    return _throughput_figures(elapsed, [_objects(result) for result in results], cpu_start, cpu_end)


def _objects(result: BatchResult) -> int:
    if result.error is not None:
        raise result.error
    assert result.result is not None
    return len(result.result.objects)


def _throughput_figures(seconds: float, counts: list[int], cpu_start: float, cpu_end: float) -> dict[str, Any]:
    return {
        "seconds": seconds,
        "predictions": len(counts),
        "objects": sum(counts),
        # The run's CPU time (client code only), and the whole process's (imports and startup too).
        "run_cpu_seconds": cpu_end - cpu_start,
        "cpu_seconds": cpu_end,
    }


async def connections(spec: Spec) -> dict[str, Any]:
    """One prediction; the caller counts the emulator's connections around it."""
    async with _async_client(spec) as client:
        result = await client.classification.predict_image(_image(spec["image"]), spec["model"])
    return {"objects": len(result.objects)}


async def rss(spec: Spec) -> dict[str, Any]:
    """Peak RSS above the baseline while predicting a large video from its path."""
    video = Video.from_path(spec["video"], mime_type="video/mp4")
    async with _async_client(spec) as client:
        reset = reset_peak_rss()
        baseline = proc_status_kib("VmRSS")
        hwm_before = proc_status_kib("VmHWM")
        start = time.perf_counter()
        result = await client.classification.predict_video(video, spec["model"])
        elapsed = time.perf_counter() - start
        peak = proc_status_kib("VmHWM")
    return {
        "baseline_kib": baseline,
        "peak_kib": peak,
        "peak_reset": reset,
        # Without the reset, an earlier peak (imports) could hide a lower one.
        "peak_above_baseline_bytes": (peak - (baseline if reset else max(baseline, hwm_before))) * 1024,
        "seconds": elapsed,
        "objects": len(result.objects),
    }


async def decode(spec: Spec) -> dict[str, Any]:
    """Predict a video once, then time get_video_results on the finished task."""
    video = _small_video(spec["video"])
    async with _async_client(spec) as client:
        predicted = await client.classification.predict_video(video, spec["model"])
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


def decoder_import(spec: Spec) -> dict[str, Any]:
    """The RSS that importing the results decoder's pyarrow adds (done lazily, on the first results)."""
    before = proc_status_kib("VmRSS")
    import pyarrow.parquet  # noqa: F401

    return {"rss_bytes": (proc_status_kib("VmRSS") - before) * 1024}


SCENARIOS: dict[str, Callable[[Spec], Any]] = {
    "decoder_import": decoder_import,
    "latency": latency,
    "latency_blocking": latency_blocking,
    "throughput": throughput,
    "throughput_trio": throughput_trio,
    "throughput_blocking": throughput_blocking,
    "connections": connections,
    "rss": rss,
    "decode": decode,
}


def run(spec: Spec) -> dict[str, Any]:
    """Run the scenario the spec names; coroutines under asyncio."""
    scenario = SCENARIOS[spec["scenario"]]
    outcome = scenario(spec)
    if asyncio.iscoroutine(outcome):
        outcome = asyncio.run(outcome)
    result: dict[str, Any] = outcome
    return result


def profiled(spec: Spec, top: int = 40) -> dict[str, Any]:
    """`run` under cProfile (CPU time), with the top functions by own and by cumulative time."""
    profiler = cProfile.Profile(time.process_time)  # CPU time: waiting on the server is not cost
    profiler.enable()
    result = run(spec)
    profiler.disable()
    for sort in ("tottime", "cumulative"):
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer)
        stats.strip_dirs().sort_stats(sort).print_stats(top)
        text = buffer.getvalue()
        result[f"profile_by_{sort}"] = text[text.find("   ncalls") :].rstrip()
    return result


def main() -> None:
    spec: Spec = json.loads(sys.argv[1])
    result = profiled(spec) if spec.get("profile") else run(spec)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
