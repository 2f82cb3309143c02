"""The official client (PyPI dragoneye-python 2.0.1) works against the emulator unchanged.

It runs in its own venv (`make official`), in a subprocess: its import name is
ours too. `DRAGONEYE_OFFICIAL_PYTHON` names that venv's interpreter; without
it the tests skip, or fail under CI.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dragoneye.emulator import Emulator, EmulatorConfig
from dragoneye.emulator.model_name import parse_model_name
from dragoneye.emulator.predictions import GenerationParams, generate
from dragoneye.emulator.tracks import PredictionType
from dragoneye.models import ClassificationPredictImageResponse, ClassificationPredictVideoResponse

from ..official import OfficialPython

pytestmark = pytest.mark.interop

DRIVER = Path(__file__).with_name("official_client_driver.py")
MODEL = "recognize_anything/interop_model?delay=0"


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(EmulatorConfig(processing_delay=0)) as emu:
        yield emu


def run_official(python: OfficialPython, base_url: str, jobs: list[dict[str, Any]], tmp_path: Path) -> dict[str, Any]:
    """Run the jobs with the official client; its outcome per job id."""
    spec = tmp_path / "jobs.json"
    spec.write_text(json.dumps({"base_url": base_url, "jobs": jobs}))
    outcomes: dict[str, Any] = python.run_json(str(DRIVER), str(spec), cwd=tmp_path, timeout=90)
    return outcomes


def media_job(tmp_path: Path, job_id: str, data: bytes, mime_type: str, api_key: str, **extra: Any) -> dict[str, Any]:
    path = tmp_path / job_id
    path.write_bytes(data)
    kind = mime_type.split("/", maxsplit=1)[0]
    return {"id": job_id, "kind": kind, "path": str(path), "mime_type": mime_type, "api_key": api_key, **extra}


def expected(
    emulator: Emulator,
    data: bytes,
    prediction_type: PredictionType,
    outcome: dict[str, Any],
    name: str | None,
    frames_per_second: int | None = None,
) -> dict[str, Any]:
    """What the emulator generated for these bytes, in the official client's shape."""
    _, options = parse_model_name(MODEL)
    params = GenerationParams.resolve(emulator.config, options, prediction_type, frames_per_second)
    results = generate(hashlib.sha256(data).digest(), params)
    task_uuid = outcome["result"]["prediction_task_uuid"]
    if prediction_type == "image":
        return ClassificationPredictImageResponse(
            objects=results.image_objects(), prediction_task_uuid=task_uuid, original_file_name=name
        ).to_dict()
    assert results.frame_timestamps is not None
    return ClassificationPredictVideoResponse(
        objects=results.video_objects(),
        frames_per_second=params.frames_per_second,
        frame_timestamps_microseconds=results.frame_timestamps,
        prediction_task_uuid=task_uuid,
        original_file_name=name,
    ).to_dict()


def test_official_client_gets_what_the_emulator_generated(
    official_python: OfficialPython, emulator: Emulator, tmp_path: Path
) -> None:
    key = emulator.api_key
    photo, other_photo, clip = b"\xff\xd8 interop photo", b"\x89PNG other photo", b"\x00\x00\x00\x18ftypmp42 clip"
    jobs = [
        media_job(tmp_path, "photo", photo, "image/jpeg", key, name="house.jpg", model_name=MODEL),
        media_job(tmp_path, "other_photo", other_photo, "image/png", key, model_name=MODEL),
        media_job(tmp_path, "clip", clip, "video/mp4", key, name="street.mp4", model_name=MODEL, frames_per_second=2),
        media_job(tmp_path, "clip_default_rate", clip, "video/mp4", key, model_name=MODEL),
        {"id": "pdf", "kind": "begin", "mime_type": "application/pdf", "api_key": key},
        media_job(tmp_path, "wrong_key", photo, "image/jpeg", "not-the-key", model_name=MODEL),
        media_job(tmp_path, "failing", photo, "image/jpeg", key, model_name=MODEL + "&fail=1"),
    ]
    outcomes = run_official(official_python, emulator.base_url, jobs, tmp_path)

    for job_id, data, kind, name, rate in [
        ("photo", photo, "image", "house.jpg", None),
        ("other_photo", other_photo, "image", "other_photo", None),
        ("clip", clip, "video", "street.mp4", 2),
        ("clip_default_rate", clip, "video", "clip_default_rate", None),
    ]:
        outcome = outcomes[job_id]
        assert "result" in outcome, outcome
        # The official Media.from_path names the media after its file when no name is given.
        assert outcome["result"] == expected(emulator, data, kind, outcome, name, rate), job_id  # type: ignore[arg-type]

    assert outcomes["photo"]["result"] != outcomes["other_photo"]["result"]
    video = outcomes["clip"]["result"]
    assert video["frames_per_second"] == 2
    assert len(video["frame_timestamps_microseconds"]) == 20
    assert any(obs["observation"] is None for obj in video["objects"] for obs in obj["bbox_observations"])

    assert outcomes["pdf"]["error"] == "PredictionTaskBeginError"
    assert "Unsupported mimetype 'application/pdf'" in outcomes["pdf"]["message"]
    assert outcomes["wrong_key"]["error"] == "PredictionTaskBeginError"
    assert "401" in outcomes["wrong_key"]["message"]
    assert outcomes["failing"]["error"] == "PredictionTaskError"
    assert "failed_prediction" in outcomes["failing"]["message"]

    stats = emulator.stats
    assert stats.upload_requests_with_api_key == 0
    assert stats.uploads_completed == 5
    assert stats.calls["getPredictionTaskResults"] == 4


def test_official_client_rides_out_rate_limits(
    official_python: OfficialPython, emulator: Emulator, tmp_path: Path
) -> None:
    # The official client retries 429 on every call but the upload: with every
    # 3rd call limited, begin and upload pass and later calls are retried.
    emulator.config.rate_limit_every = 3
    photo = b"rate limited photo"
    jobs = [media_job(tmp_path, "photo", photo, "image/jpeg", emulator.api_key, name="p.jpg", model_name=MODEL)]
    outcome = run_official(official_python, emulator.base_url, jobs, tmp_path)["photo"]
    assert "result" in outcome, outcome
    assert outcome["result"] == expected(emulator, photo, "image", outcome, "p.jpg")
    assert emulator.stats.rate_limited >= 1
