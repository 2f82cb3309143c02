"""The scenarios of `python -m benchmarks`: each measures both clients and returns its Row (or Rows)."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .batch import batch_throughput
from .harness import Bench, Row, clean_env, median, png_bytes, top_profile, write_images
from .ray_stage import available as ray_available
from .ray_stage import ray_stage

MODEL = "recognize_anything/bench"
BUSY_SECONDS = 0.2
# (server seconds, sequential calls): the latency curve; the first point is the one with a ratio target.
LATENCY_CURVE = ((BUSY_SECONDS, 10), (0.7, 5), (1.6, 3), (3.1, 3))
THROUGHPUT_REPEATS = 2
# "No worse than today": our figures before the transport change (main at 8e96f71, this
# machine, 200 images with 32 in flight), for what has no ratio target. NOISE allows for a shared machine.
# trio was 15.1 ms, one favourable sample. Measured since, the old code (a venv built from 8e96f71)
# run alternately with the new against one emulator: 17.2-17.8 ms on a quiet machine, 20.5-27.5 ms
# over 14 runs at load 1.7-3.8 (the new 17.6-23.1 ms there, lower in every pair); the lowest is kept.
# blocking: the old code measured 10.5-16.2 ms alternately; the 9.6 ms first recorded is kept.
LATENCY_TODAY = {0.7: 0.85, 1.6: 1.80, 3.1: 3.98}
CPU_MS_TODAY = {"trio": 17.2, "blocking": 9.6}
NOISE = 1.1
THROUGHPUT_IMAGES = 200
THROUGHPUT_IN_FLIGHT = 32
LARGE_VIDEO_BYTES = 1 << 30
DECODE_OBJECTS = 500
DECODE_FRAMES = 600
DECODE_REPEATS = 3
IMPORT_RUNS = 9
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


def latency(bench: Bench) -> list[Row]:
    """Median of sequential predict_image calls at each server time of LATENCY_CURVE, with status calls per call."""
    image = bench.workdir / "latency.png"
    image.write_bytes(png_bytes(10_002))
    rows = []
    for busy, count in LATENCY_CURVE:
        spec = bench.spec("latency", image=str(image), model=f"{MODEL}?delay={busy}", count=count)
        ours, ours_stats = bench.counted("ours", spec)
        official, official_stats = bench.counted("official", spec)
        ours_median, official_median = median(ours["seconds"]), median(official["seconds"])
        details: dict[str, Any] = {
            "server_seconds": busy,
            "ours_seconds": ours["seconds"],
            "official_seconds": official["seconds"],
            "ours_status_calls_per_prediction": _per_call(ours_stats, "getPredictionTaskStatus", count),
            "official_status_calls_per_prediction": _per_call(official_stats, "getPredictionTaskStatus", count),
        }
        if busy == BUSY_SECONDS:
            details["ours_blocking_median_seconds"] = median(
                bench.ours({**spec, "scenario": "latency_blocking"})["seconds"]
            )
            target, met = "ratio <= 0.3", ours_median / official_median <= 0.3
        else:
            today = LATENCY_TODAY[busy]
            target, met = f"ours <= today ({today:.2f} s)", ours_median <= today * NOISE
        row = Row(
            key=f"latency_{busy}",
            scenario=f"predict_image latency, server busy {busy} s (median of {count})",
            unit="s",
            ours=ours_median,
            official=official_median,
            target=target,
            met=met,
            details=details,
        )
        if not row.met or bench.profile_all:
            profile = bench.ours({**spec, "profile": True})
            row.why = (
                f"{details['ours_status_calls_per_prediction']:.1f} status polls per prediction; the floor is the"
                f" {busy} s of server work plus the first poll after it.\n" + top_profile(profile)
            )
        rows.append(row)
    return rows


def throughput(bench: Bench) -> list[Row]:
    """200 images, 32 in flight, on one client: client CPU per prediction and predictions per second.

    Ours under asyncio (gather, as the official runner), under trio
    (predict_many) and blocking on 32 threads (predict_many_blocking); each
    run THROUGHPUT_REPEATS times, alternating clients, and the best kept (the
    ranges are in the details): the machine is shared, and CPU time is the
    robust figure.
    """
    images = write_images(bench.workdir / "throughput", THROUGHPUT_IMAGES)
    spec = bench.spec(
        "throughput", images=images, concurrency=THROUGHPUT_IN_FLIGHT, model=f"{MODEL}?delay={BUSY_SECONDS}"
    )
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in ("ours", "official", "trio", "blocking")}
    for _ in range(THROUGHPUT_REPEATS):
        for name, client, scenario in (
            ("ours", "ours", "throughput"),
            ("official", "official", "throughput"),
            ("trio", "ours", "throughput_trio"),
            ("blocking", "ours", "throughput_blocking"),
        ):
            result, stats = bench.counted(client, {**spec, "scenario": scenario})
            result["emulator_cpu_seconds"] = stats.get("cpu_seconds")
            result["connections_opened"] = stats.get("connections_opened")
            result["calls"] = stats.get("calls")
            runs[name].append(result)
    cpu_ms = {name: [1000 * run["run_cpu_seconds"] / run["predictions"] for run in runs[name]] for name in runs}
    rate = {name: [run["predictions"] / run["seconds"] for run in runs[name]] for name in runs}
    best_cpu = {name: min(values) for name, values in cpu_ms.items()}
    best_rate = {name: max(values) for name, values in rate.items()}
    details = {
        "client_cpu_ms_per_prediction": cpu_ms,
        "predictions_per_second": rate,
        "same_objects": len({run["objects"] for name in runs for run in runs[name]}) == 1,
        "runs": runs,
    }
    scenario = f"{THROUGHPUT_IMAGES} images, {THROUGHPUT_IN_FLIGHT} in flight, server busy {BUSY_SECONDS} s"
    rows = [
        Row(
            key="cpu_asyncio",
            scenario=f"client CPU per prediction, asyncio ({scenario})",
            unit="ms",
            ours=best_cpu["ours"],
            official=best_cpu["official"],
            target="ratio <= 0.25",
            met=best_cpu["ours"] <= 0.25 * best_cpu["official"],
            details=details,
        ),
        Row(
            key="throughput",
            scenario=scenario,
            unit="pred/s",
            ours=best_rate["ours"],
            official=best_rate["official"],
            target="ratio >= 3",
            met=best_rate["ours"] >= 3 * best_rate["official"],
        ),
    ]
    for name, label in (("trio", "trio (predict_many)"), ("blocking", "blocking, 32 threads (predict_many_blocking)")):
        today = CPU_MS_TODAY[name]
        rows.append(
            Row(
                key=f"cpu_{name}",
                scenario=f"client CPU per prediction, {label}",
                unit="ms",
                ours=best_cpu[name],
                official=best_cpu["official"],
                target=f"ours <= today ({today:.1f} ms)",
                met=best_cpu[name] <= today * NOISE,
            )
        )
    if not all(row.met for row in rows) or bench.profile_all:
        rows[0].why = top_profile(bench.ours({**spec, "profile": True}))
    return rows


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
    """Wall time of `python -c "import dragoneye"` in fresh processes, each venv's own interpreter.

    The clients alternate, so a change in the machine's load falls on both.
    """
    ours: list[float] = []
    official: list[float] = []
    for _ in range(IMPORT_RUNS):
        ours.append(_timed_import(bench.ours_python, bench.workdir))
        official.append(_timed_import(bench.official_python, bench.workdir))
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


SCENARIOS: dict[str, Callable[[Bench], Row | Sequence[Row]]] = {
    "connections": connections,
    "latency": latency,
    "throughput": throughput,
    "decode": decode,
    "import": import_time,
    "rss": rss,
    "batch": batch_throughput,
}
if ray_available():  # the optional ray extra
    SCENARIOS["ray"] = ray_stage
