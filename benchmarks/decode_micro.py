"""Time decoding a large video result: our decoder against the official client's.

    .venv/bin/python benchmarks/decode_micro.py [--objects 500] [--frames 600]

The result (every object tracked over every frame, with some gap frames, 2
categories x 3 attributes with a few ranges each) is built with the
emulator's encoder. The official decoder (polars + pydantic) runs on the same
bytes in a subprocess when its venv exists ($DRAGONEYE_OFFICIAL_PYTHON or
.venv-official/bin/python).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dragoneye._results import decode_video_results  # noqa: E402
from dragoneye.emulator.archive import encode_results  # noqa: E402
from dragoneye.models import (  # noqa: E402
    BboxObservation,
    ScoredTimestampRange,
    TimestampRange,
    VideoAttributePrediction,
    VideoBboxObservation,
    VideoCategoryPrediction,
    VideoDetectedObject,
)

FRAME_US = 200_000
REPEATS = 5

OFFICIAL_SCRIPT = r"""
import json, sys, time
from dragoneye.models import ClassificationPredictVideoResponse
from dragoneye.parquet_deserializer import (
    deserialize_object_forward_video_predictions,
    deserialize_video_frame_timestamps,
    split_prediction_archive,
)

body = open(sys.argv[1], "rb").read()
repeats = int(sys.argv[2])


def decode():
    # The steps of Classification._get_results_unified after the HTTP call.
    members = split_prediction_archive(body)
    return ClassificationPredictVideoResponse(
        objects=deserialize_object_forward_video_predictions(members["predictions.parquet"]),
        frames_per_second=5,
        frame_timestamps_microseconds=deserialize_video_frame_timestamps(members["frame_timestamps.parquet"]),
        prediction_task_uuid="benchmark",
        original_file_name=None,
    )


times = []
for _ in range(repeats):
    start = time.perf_counter()
    result = decode()
    times.append(time.perf_counter() - start)
print(json.dumps({"best": min(times), "objects": len(result.objects)}))
"""


def build(objects: int, frames: int) -> tuple[list[VideoDetectedObject], list[int]]:
    """`objects` tracks over all `frames` frames; every 7th observation is a gap."""
    timestamps = [frame * FRAME_US for frame in range(frames)]
    end = timestamps[-1]
    result = []
    for object_id in range(objects):
        sightings = [
            VideoBboxObservation(
                timestamp_microseconds=timestamp,
                observation=None
                if (object_id + frame) % 7 == 0
                else BboxObservation(
                    normalized_bbox=(frame / 1024, object_id / 1024, (frame + 8) / 1024, (object_id + 8) / 1024),
                    bbox_score=(frame % 100) / 128,
                ),
            )
            for frame, timestamp in enumerate(timestamps)
        ]
        categories = [
            VideoCategoryPrediction(
                category_id=1000 + category,
                name=f"category {category}",
                score=0.75,
                attributes=[
                    VideoAttributePrediction(
                        attribute_id=attribute,
                        attribute_name=f"attribute {attribute}",
                        option_id=(object_id + attribute) % 5,
                        option_name=f"option {(object_id + attribute) % 5}",
                        timestamp_ranges=[
                            ScoredTimestampRange(
                                timestamp_start_us_inclusive=part * end // 3,
                                timestamp_end_us_inclusive=(part + 1) * end // 3,
                                score=0.5 + part / 16,
                            )
                            for part in range(3)
                        ],
                    )
                    for attribute in range(3)
                ],
            )
            for category in range(2)
        ]
        result.append(
            VideoDetectedObject(
                object_id=object_id,
                timestamp_ranges=[TimestampRange(timestamp_start_us_inclusive=0, timestamp_end_us_inclusive=end)],
                bbox_observations=sightings,
                categories=categories,
            )
        )
    return result, timestamps


def best_of(repeats: int, body: bytes) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        decode_video_results(body, prediction_task_uuid="benchmark", original_file_name=None, frames_per_second="5")
        times.append(time.perf_counter() - start)
    return min(times)


def official_python() -> Path | None:
    configured = os.environ.get("DRAGONEYE_OFFICIAL_PYTHON")
    candidate = Path(configured) if configured else ROOT / ".venv-official" / "bin" / "python"
    return candidate if candidate.exists() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=500)
    parser.add_argument("--frames", type=int, default=600)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args()

    objects, timestamps = build(args.objects, args.frames)
    start = time.perf_counter()
    body = encode_results(objects, timestamps)
    encode_seconds = time.perf_counter() - start
    del objects  # time the decoder on a heap like the official one's, not one holding the inputs
    print(f"result: {args.objects} objects x {args.frames} frames, archive {len(body) / 1e6:.1f} MB")
    print(f"encode_results:       {encode_seconds * 1000:8.1f} ms")
    ours = best_of(args.repeats, body)
    print(f"ours (best of {args.repeats}):     {ours * 1000:8.1f} ms")

    python = official_python()
    if python is None:
        print("official client: not installed (run `make official`)")
        return
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "results.zip"
        path.write_bytes(body)
        completed = subprocess.run(
            # -I and cwd keep this repo's own `dragoneye` off the official client's path.
            [str(python), "-I", "-c", OFFICIAL_SCRIPT, str(path), str(args.repeats)],
            cwd=directory,
            capture_output=True,
            text=True,
            check=True,
        )
    official = json.loads(completed.stdout)
    assert official["objects"] == args.objects
    print(f"official (best of {args.repeats}): {official['best'] * 1000:8.1f} ms")
    print(f"ours / official:      {ours / official['best']:8.2f}  ({official['best'] / ours:.1f}x faster)")


if __name__ == "__main__":
    main()
