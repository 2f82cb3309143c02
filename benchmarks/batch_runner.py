"""The batch scenario's runner: predict_many or a BatchJob over the same files, in a fresh process.

    python benchmarks/batch_runner.py '<json spec>'

Prints one JSON line: media, wall seconds, CPU seconds, and the job's summary.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

from dragoneye import AsyncDragoneye, Image
from dragoneye.batch import BatchJob, predict_many


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run(spec: dict[str, Any], paths: list[Path]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    async with AsyncDragoneye(api_key=spec["api_key"], base_api_url=spec["base_url"]) as client:
        start, cpu = time.perf_counter(), cpu_seconds()
        if spec["mode"] == "predict_many":
            media = [Image.from_path(path) for path in paths]
            results = await predict_many(client, media, spec["model"], concurrency=spec["concurrency"])
            ok = sum(result.ok for result in results)
        else:
            job = BatchJob(
                client, spec["model"], ledger=spec["ledger"], output=spec["output"], concurrency=spec["concurrency"]
            )
            async with job:
                ok = sum([item.ok async for item in job.run(paths)])
            summary = job.summary.to_dict()
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    return {"media": len(paths), "ok": ok, "seconds": seconds, "cpu_seconds": cpu, "summary": summary}


if __name__ == "__main__":
    spec = json.loads(sys.argv[1])
    print(json.dumps(asyncio.run(run(spec, sorted(Path(spec["folder"]).iterdir())))))
