"""The batch scenario: a BatchJob's throughput against predict_many's, on the same files.

The ledger (a SQLite commit per step of each media, the result journalled) and
the Parquet output must cost little: the job keeps >= 90% of predict_many's
throughput. Both run in fresh processes of the SDK as users install it; the
`official` column holds predict_many here, not the official client.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from .harness import Bench, Row, RunnerError, clean_env, write_images

MODEL = "recognize_anything/bench"
IMAGES = 5000
CONCURRENCY = 64
RUNNER = Path(__file__).with_name("batch_runner.py")
TIMEOUT = 1800


def batch_throughput(bench: Bench) -> Row:
    """5,000 small images at concurrency 64: BatchJob vs predict_many, media per second.

    The runs go predict_many, BatchJob, BatchJob, predict_many, and each side's
    rate is the mean of its two: a drift of the machine (or of the emulator, as
    it serves) during the scenario falls on both sides alike.
    """
    write_images(bench.workdir / "batch", IMAGES)  # 5,000 paths would not fit in a command line
    base = bench.spec("batch", model=MODEL, folder=str(bench.workdir / "batch"), concurrency=CONCURRENCY)
    runs: dict[str, list[dict[str, Any]]] = {"predict_many": [], "batch_job": []}
    for number, mode in enumerate(("predict_many", "batch_job", "batch_job", "predict_many")):
        files = {
            "ledger": str(bench.workdir / f"batch-{number}.ledger"),
            "output": str(bench.workdir / f"batch-{number}.parquet"),
        }
        runs[mode].append(_run(bench, {**base, "mode": mode, **(files if mode == "batch_job" else {})}))
    jobs, manys = runs["batch_job"], runs["predict_many"]
    ours, theirs = _rate(jobs), _rate(manys)
    return Row(
        key="batch",
        scenario=f"BatchJob vs predict_many: {IMAGES} images at concurrency {CONCURRENCY} (media/s, 2 runs each)",
        unit="/s",
        ours=ours,
        official=theirs,
        target="ratio >= 0.9",
        met=ours / theirs >= 0.9 and all(run["ok"] == IMAGES for run in jobs + manys),
        details={
            "batch_job": jobs,
            "predict_many": manys,
            "cpu_ms_per_media_batch_job": 1000 * sum(run["cpu_seconds"] for run in jobs) / (2 * IMAGES),
            "cpu_ms_per_media_predict_many": 1000 * sum(run["cpu_seconds"] for run in manys) / (2 * IMAGES),
        },
    )


def _rate(runs: list[dict[str, Any]]) -> float:
    """Media per second over the runs together."""
    media = sum(int(run["media"]) for run in runs)
    return media / sum(float(run["seconds"]) for run in runs)


def _run(bench: Bench, spec: dict[str, Any]) -> dict[str, Any]:
    completed = subprocess.run(
        [bench.ours_python, "-I", str(RUNNER), json.dumps(spec)],
        cwd=bench.workdir,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if completed.returncode != 0:
        raise RunnerError(
            f"batch_runner {spec['mode']} exited with {completed.returncode}:\n{completed.stderr[-4000:]}"
        )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result
