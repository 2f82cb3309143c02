"""The scenarios of `python -m benchmarks`: each measures both clients and returns a Row."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .harness import Bench, Row, clean_env, median, png_bytes, top_profile, write_images

MODEL = "recognize_anything/bench"
BUSY_SECONDS = 0.2
LATENCY_CALLS = 10
THROUGHPUT_IMAGES = 200
THROUGHPUT_IN_FLIGHT = 32
LARGE_VIDEO_BYTES = 1 << 30
DECODE_OBJECTS = 500
DECODE_FRAMES = 600
DECODE_REPEATS = 3
IMPORT_RUNS = 5
MB = 1_000_000


def connections(bench: Bench) -> Row:
    """TCP connections the emulator accepts for one image prediction."""
    image = bench.workdir / "connections.png"
    image.write_bytes(png_bytes(10_001))
    spec = bench.spec("connections", image=str(image), model=MODEL)
    _, ours = bench.counted("ours", spec)
    _, official = bench.counted("official", spec)
    row = Row(
        key="connections",
        scenario="TCP connections for one prediction",
        unit="",
        ours=ours["connections_opened"],
        official=official["connections_opened"],
        target="ours == 1",
        met=ours["connections_opened"] == 1,
        details={"ours_calls": ours.get("calls"), "official_calls": official.get("calls")},
    )
    if not row.met:
        row.why = f"one prediction made these calls: {ours.get('calls')}; each new connection is a pool miss"
    return row


def latency(bench: Bench) -> Row:
    """Median of sequential predict_image calls while the server is busy 0.2 s per task."""
    image = bench.workdir / "latency.png"
    image.write_bytes(png_bytes(10_002))
    spec = bench.spec("latency", image=str(image), model=f"{MODEL}?delay={BUSY_SECONDS}", count=LATENCY_CALLS)
    ours, ours_stats = bench.counted("ours", spec)
    official, official_stats = bench.counted("official", spec)
    blocking = bench.ours({**spec, "scenario": "latency_blocking"})
    ours_median, official_median = median(ours["seconds"]), median(official["seconds"])
    row = Row(
        key="latency",
        scenario=f"predict_image latency, server busy {BUSY_SECONDS} s (median of {LATENCY_CALLS})",
        unit="s",
        ours=ours_median,
        official=official_median,
        target="ratio <= 0.3",
        met=ours_median / official_median <= 0.3,
        details={
            "ours_seconds": ours["seconds"],
            "official_seconds": official["seconds"],
            "ours_blocking_median_seconds": median(blocking["seconds"]),
            "ours_status_calls_per_prediction": _per_call(ours_stats, "getPredictionTaskStatus", LATENCY_CALLS),
            "official_status_calls_per_prediction": _per_call(official_stats, "getPredictionTaskStatus", LATENCY_CALLS),
        },
    )
    if not row.met or bench.profile_all:
        profile = bench.ours({**spec, "profile": True})
        row.why = (
            f"{row.details['ours_status_calls_per_prediction']:.1f} status polls per prediction; the floor is the"
            f" {BUSY_SECONDS} s of server work plus the first poll after it.\n" + top_profile(profile)
        )
    return row


def throughput(bench: Bench) -> Row:
    """Predictions per second for 200 images with 32 in flight on one client."""
    images = write_images(bench.workdir / "throughput", THROUGHPUT_IMAGES)
    spec = bench.spec(
        "throughput",
        images=images,
        concurrency=THROUGHPUT_IN_FLIGHT,
        model=f"{MODEL}?delay={BUSY_SECONDS}",
    )
    ours, ours_stats = bench.counted("ours", spec)
    official, official_stats = bench.counted("official", spec)
    ours_rate = ours["predictions"] / ours["seconds"]
    official_rate = official["predictions"] / official["seconds"]
    row = Row(
        key="throughput",
        scenario=f"{THROUGHPUT_IMAGES} images, {THROUGHPUT_IN_FLIGHT} in flight, server busy {BUSY_SECONDS} s",
        unit="pred/s",
        ours=ours_rate,
        official=official_rate,
        target="ratio >= 2",
        met=ours_rate / official_rate >= 2,
        details={
            "ours_seconds": ours["seconds"],
            "official_seconds": official["seconds"],
            "same_objects": ours["objects"] == official["objects"],
            "ours_client_cpu_seconds": ours["cpu_seconds"],
            "ours_emulator_cpu_seconds": ours_stats.get("cpu_seconds"),
            "official_client_cpu_seconds": official["cpu_seconds"],
            "official_emulator_cpu_seconds": official_stats.get("cpu_seconds"),
            "ours_connections_opened": ours_stats.get("connections_opened"),
            "official_connections_opened": official_stats.get("connections_opened"),
            "ours_calls": ours_stats.get("calls"),
            "official_calls": official_stats.get("calls"),
        },
    )
    if not row.met or bench.profile_all:
        profile = bench.ours({**spec, "profile": True})
        row.why = top_profile(profile)
    return row


def decode(bench: Bench) -> Row:
    """get_video_results on a finished 500-object x 600-frame task (median of 3)."""
    video = bench.workdir / "decode.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + png_bytes(10_003))
    spec = bench.spec(
        "decode",
        video=str(video),
        model=f"{MODEL}?objects={DECODE_OBJECTS}&frames={DECODE_FRAMES}",
        repeats=DECODE_REPEATS,
    )
    ours = bench.ours(spec)
    official = bench.official(spec)
    ours_median, official_median = median(ours["seconds"]), median(official["seconds"])
    row = Row(
        key="decode",
        scenario=f"fetch + decode {DECODE_OBJECTS} objects x {DECODE_FRAMES} frames (median of {DECODE_REPEATS})",
        unit="s",
        ours=ours_median,
        official=official_median,
        target="ratio <= 0.5",
        met=ours_median <= 0.5 * official_median,
        details={
            "ours_seconds": ours["seconds"],
            "official_seconds": official["seconds"],
            "ours_best_seconds": min(ours["seconds"]),
            "official_best_seconds": min(official["seconds"]),
            "objects": ours["objects"],
            "observations": ours["observations"],
            "frames": ours["frames"],
            "same_shape": all(ours[key] == official[key] for key in ("objects", "observations", "frames")),
        },
    )
    if not row.met or bench.profile_all:
        row.why = top_profile(bench.ours({**spec, "profile": True}))
    return row


def import_time(bench: Bench) -> Row:
    """Wall time of `python -c "import dragoneye"` in fresh processes, each venv's own interpreter."""
    ours = [_timed_import(bench.ours_python, bench.workdir) for _ in range(IMPORT_RUNS)]
    official = [_timed_import(bench.official_python, bench.workdir) for _ in range(IMPORT_RUNS)]
    ours_bare = median([_timed_import(bench.ours_python, bench.workdir, "pass") for _ in range(IMPORT_RUNS)])
    ours_tree = _import_tree(bench.ours_python, bench.workdir)
    row = Row(
        key="import",
        scenario=f'python -c "import dragoneye" (median of {IMPORT_RUNS})',
        unit="s",
        ours=median(ours),
        official=median(official),
        target="ratio <= 0.3",
        met=median(ours) <= 0.3 * median(official),
        details={
            "ours_seconds": ours,
            "official_seconds": official,
            "ours_interpreter_startup_seconds": ours_bare,
            "ours_dragoneye_import_us": ours_tree.get("dragoneye"),
            "ours_heaviest_imports_us": dict(sorted(ours_tree.items(), key=lambda item: -item[1])[:12]),
            "official_dragoneye_import_us": _import_tree(bench.official_python, bench.workdir).get("dragoneye"),
        },
    )
    if not row.met or bench.profile_all:
        heaviest = sorted(ours_tree.items(), key=lambda item: -item[1])[:15]
        row.why = "python -X importtime, ours, cumulative microseconds:\n" + "\n".join(
            f"{us:>10}  {name}" for name, us in heaviest
        )
    return row


def rss(bench: Bench) -> Row:
    """Peak RSS above baseline while predicting a 1 GiB sparse video, fresh process per client."""
    video = bench.workdir / "large.mp4"
    with video.open("wb") as file:
        file.truncate(LARGE_VIDEO_BYTES)
    try:
        spec = bench.spec("rss", video=str(video), model=MODEL)
        ours, ours_stats = bench.counted("ours", spec)
        official, official_stats = bench.counted("official", spec)
    finally:
        video.unlink()
    row = Row(
        key="rss",
        scenario="peak RSS above baseline, 1 GiB video upload",
        unit="MB",
        ours=ours["peak_above_baseline_bytes"] / MB,
        official=official["peak_above_baseline_bytes"] / MB,
        target="ours <= 100 MB",
        met=ours["peak_above_baseline_bytes"] <= 100 * MB,
        details={
            "ours": ours,
            "official": official,
            # Part of ours: pyarrow, imported on the first results (the official client imports polars up front).
            "ours_decoder_import_mb": bench.ours(bench.spec("decoder_import"))["rss_bytes"] / MB,
            "ours_upload_bytes": ours_stats.get("upload_bytes"),
            "official_upload_bytes": official_stats.get("upload_bytes"),
        },
    )
    if not row.met or bench.profile_all:
        row.why = top_profile(bench.ours({**spec, "profile": True}))
    return row


def _per_call(stats: dict[str, Any], operation: str, count: int) -> float:
    return float(stats.get("calls", {}).get(operation, 0)) / count


def _timed_import(python: str, cwd: Path, code: str = "import dragoneye") -> float:
    start = time.perf_counter()
    subprocess.run([python, "-c", code], cwd=cwd, env=clean_env(), check=True, capture_output=True)
    return time.perf_counter() - start


_IMPORT_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def _import_tree(python: str, cwd: Path) -> dict[str, int]:
    """Cumulative import microseconds per module, from `python -X importtime`."""
    completed = subprocess.run(
        [python, "-X", "importtime", "-c", "import dragoneye"],
        cwd=cwd,
        env=clean_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    tree: dict[str, int] = {}
    for match in _IMPORT_LINE.finditer(completed.stderr):
        tree[match.group(4)] = max(tree.get(match.group(4), 0), int(match.group(2)))
    return tree


SCENARIOS: dict[str, Callable[[Bench], Row]] = {
    "connections": connections,
    "latency": latency,
    "throughput": throughput,
    "decode": decode,
    "import": import_time,
    "rss": rss,
}
