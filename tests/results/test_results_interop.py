"""Our decoder and the official client's decoder (polars + pydantic) agree field for field on the same archives."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from dragoneye._results import decode_image_results, decode_video_results
from dragoneye._wire import PREDICTIONS_MEMBER
from dragoneye.emulator.archive import encode_results

from ..official import OfficialPython
from .archive_edits import members_of, read_table, retyped, with_predictions
from .samples import image_archive, random_image_objects, random_video_objects, sample_video_objects, video_archive

# What Classification._get_results_unified of the official client does with a
# results body once it has it, for each case given as JSON on stdin.
OFFICIAL_SCRIPT = """
import json, sys
from dragoneye.models import ClassificationPredictImageResponse, ClassificationPredictVideoResponse
from dragoneye.parquet_deserializer import (
    deserialize_object_forward_image_predictions,
    deserialize_object_forward_video_predictions,
    deserialize_video_frame_timestamps,
    split_prediction_archive,
)

results = []
for case in json.load(sys.stdin):
    members = split_prediction_archive(open(case["path"], "rb").read())
    predictions = members["predictions.parquet"]
    if case["kind"] == "image":
        result = ClassificationPredictImageResponse(
            objects=deserialize_object_forward_image_predictions(predictions),
            prediction_task_uuid=case["uuid"],
            original_file_name=case["name"],
        )
    else:
        frames = members.get("frame_timestamps.parquet")
        result = ClassificationPredictVideoResponse(
            objects=deserialize_object_forward_video_predictions(predictions),
            frames_per_second=int(case["fps"]),
            frame_timestamps_microseconds=[] if frames is None else deserialize_video_frame_timestamps(frames),
            prediction_task_uuid=case["uuid"],
            original_file_name=case["name"],
        )
    results.append(result.model_dump(mode="json"))
print(json.dumps(results))
"""


def cases() -> list[dict[str, Any]]:
    rng = random.Random(20240601)
    video_objects, video_frames = random_video_objects(rng, objects=25, frames=40)
    plain_box = retyped(["bbox_observations", "normalized_bbox"], pa.list_(pa.float32()))
    body = video_archive()
    return [
        {"kind": "video", "body": body, "fps": "12", "name": "street.mp4"},
        {"kind": "video", "body": encode_results(sample_video_objects()), "fps": "5", "name": None},
        {"kind": "video", "body": encode_results([], []), "fps": "1", "name": ""},
        {"kind": "video", "body": encode_results(video_objects, video_frames), "fps": "30", "name": "random"},
        {
            "kind": "video",
            "body": with_predictions(body, read_table(members_of(body)[PREDICTIONS_MEMBER]).cast(plain_box)),
            "fps": "2",
            "name": "box as a plain list",
        },
        {"kind": "image", "body": image_archive(), "fps": None, "name": "house.jpg"},
        {"kind": "image", "body": encode_results([]), "fps": None, "name": None},
        {"kind": "image", "body": encode_results(random_image_objects(rng, 30)), "fps": None, "name": "random"},
    ]


def ours(case: dict[str, Any]) -> dict[str, Any]:
    if case["kind"] == "image":
        result: Any = decode_image_results(case["body"], prediction_task_uuid="task", original_file_name=case["name"])
    else:
        result = decode_video_results(
            case["body"], prediction_task_uuid="task", original_file_name=case["name"], frames_per_second=case["fps"]
        )
    decoded: dict[str, Any] = result.to_dict()
    return decoded


@pytest.mark.interop
def test_decoders_agree(official_python: OfficialPython, tmp_path: Path) -> None:
    all_cases = cases()
    requests = []
    for index, case in enumerate(all_cases):
        path = tmp_path / f"case{index}.zip"
        path.write_bytes(case["body"])
        requests.append(
            {"path": str(path), "kind": case["kind"], "fps": case["fps"], "name": case["name"], "uuid": "task"}
        )
    official = official_python.run_json("-c", OFFICIAL_SCRIPT, stdin=json.dumps(requests), cwd=tmp_path)
    assert len(official) == len(all_cases)
    for case, theirs in zip(all_cases, official, strict=True):
        assert ours(case) == theirs, case["name"]
    # The comparison is not vacuous: objects, gap frames and sorted frames are all there.
    video = official[0]
    assert video["frame_timestamps_microseconds"] == sorted(video["frame_timestamps_microseconds"])
    assert any(o["observation"] is None for o in video["objects"][0]["bbox_observations"])
    assert len(official[3]["objects"]) == 25 and len(official[7]["objects"]) == 30
