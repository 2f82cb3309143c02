"""The Ray scenario's runner: the 200-image pipeline on a local Ray, then the batch job on the same files.

    python benchmarks/ray_runner.py '<json spec>'

Prints one JSON line: both throughputs, and where the pipeline's time went
(Ray's start, the actors' start, the time inside the stage's calls).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio

from dragoneye import AsyncDragoneye
from dragoneye.batch import BatchJob
from dragoneye.ray import DragoneyePredictor

TIMINGS = Path(tempfile.gettempdir()) / f"dragoneye-ray-bench-{os.getpid()}.jsonl"


class TimedPredictor(DragoneyePredictor):
    """The stage, logging when each actor started and how long each call took."""

    def __init__(self, **kwargs: Any) -> None:
        started = time.time()
        super().__init__(**kwargs)
        self._log({"actor_started": started, "init_seconds": time.time() - started})

    def __call__(self, batch: Any) -> Any:
        started = time.time()
        rows = super().__call__(batch)
        self._log({"call_started": started, "call_seconds": time.time() - started})
        return rows

    @staticmethod
    def _log(record: dict[str, float]) -> None:
        with open(os.environ["DRAGONEYE_RAY_TIMINGS"], "a") as log:
            log.write(json.dumps(record) + "\n")


def main(spec: dict[str, Any]) -> dict[str, Any]:
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    os.environ["DRAGONEYE_RAY_TIMINGS"] = str(TIMINGS)
    import ray

    paths = spec["paths"]
    actors, in_flight = spec["actors"], spec["in_flight"]
    started = time.time()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    ray_ready = time.time()
    try:
        kwargs = {"model_name": spec["model"], "api_key": spec["api_key"], "base_api_url": spec["base_url"]}
        stage = ray.data.read_binary_files(sorted({str(Path(path).parent) for path in paths}), include_paths=True)
        stage = stage.map_batches(
            TimedPredictor,
            fn_constructor_kwargs={**kwargs, "in_flight": in_flight},
            concurrency=actors,
            num_cpus=0.5,
            batch_size=32,
            batch_format="pyarrow",
        )
        with tempfile.TemporaryDirectory() as out:
            stage.write_parquet(out)
        finished = time.time()
    finally:
        ray.shutdown()
    timings = [json.loads(line) for line in TIMINGS.read_text().splitlines()]
    TIMINGS.unlink()
    first_actor = min(record["actor_started"] for record in timings if "actor_started" in record)
    calls = [record for record in timings if "call_started" in record]
    first_call = min(record["call_started"] for record in calls)
    last_call_end = max(record["call_started"] + record["call_seconds"] for record in calls)

    async def local() -> float:
        async with AsyncDragoneye(api_key=spec["api_key"], base_api_url=spec["base_url"]) as client:
            with tempfile.TemporaryDirectory() as scratch:
                job = BatchJob(client, spec["model"], ledger=Path(scratch) / "l", concurrency=actors * in_flight)
                begun = time.perf_counter()
                async with job:
                    async for _ in job.run(paths):
                        pass
                return time.perf_counter() - begun

    local_seconds = anyio.run(local)
    pipeline_seconds = finished - ray_ready
    return {
        "media": len(paths),
        "ray_init_seconds": ray_ready - started,
        "pipeline_seconds": pipeline_seconds,
        "until_first_actor_seconds": first_actor - ray_ready,
        "until_first_call_seconds": first_call - ray_ready,
        "predicting_seconds": last_call_end - first_call,
        "after_last_call_seconds": finished - last_call_end,
        "ray_media_per_second": len(paths) / pipeline_seconds,
        "ray_media_per_second_while_predicting": len(paths) / (last_call_end - first_call),
        "local_media_per_second": len(paths) / local_seconds,
    }


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
