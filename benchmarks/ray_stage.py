"""The optional Ray scenario: the 200-image pipeline on a local Ray with 2 actors, against the batch job.

Registered only where the `ray` extra is installed. Both run at the same total
concurrency (2 actors x 8 in flight, and a batch job of 16); the `official`
column holds the local batch job here, not the official client.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from .harness import Bench, Row, RunnerError, clean_env, write_images

MODEL = "recognize_anything/bench"
IMAGES = 200
ACTORS = 2
IN_FLIGHT = 8
RUNNER = Path(__file__).with_name("ray_runner.py")


def available() -> bool:
    """Whether this interpreter has the ray extra."""
    return importlib.util.find_spec("ray") is not None


def ray_stage(bench: Bench) -> Row:
    """Media per second through read_binary_files -> map_batches -> write_parquet, vs the local batch job."""
    paths = write_images(bench.workdir / "ray", IMAGES)
    spec: dict[str, Any] = bench.spec("ray", model=MODEL, paths=paths, actors=ACTORS, in_flight=IN_FLIGHT)
    # The dev interpreter: the runtime venv has the SDK's required dependencies only, not ray.
    completed = subprocess.run(
        [sys.executable, str(RUNNER), json.dumps(spec)],
        cwd=bench.workdir,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if completed.returncode != 0:
        raise RunnerError(f"ray_runner exited with {completed.returncode}:\n{completed.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    ours, local = result["ray_media_per_second"], result["local_media_per_second"]
    row = Row(
        key="ray",
        scenario=f"Ray Data stage, {ACTORS} actors x {IN_FLIGHT} in flight, vs the batch job at {ACTORS * IN_FLIGHT}:"
        f" {IMAGES} images (media/s)",
        unit="/s",
        ours=ours,
        official=local,
        target="reported",
        met=True,
        details=result,
    )
    row.why = (
        f"Ray's start {result['ray_init_seconds']:.1f} s (not counted); in the pipeline's"
        f" {result['pipeline_seconds']:.1f} s: {result['until_first_call_seconds']:.1f} s until the first batch"
        f" reached an actor (workers and actors starting), {result['predicting_seconds']:.1f} s predicting"
        f" ({result['ray_media_per_second_while_predicting']:.1f} media/s), {result['after_last_call_seconds']:.1f} s"
        " writing and shutting the stage down."
    )
    return row
