"""Fixtures: known answers the emulator gives for given media, instead of generated ones.

A fixture is filed under the SHA-256 of the media's bytes. Its result (a
response object, or its `to_dict()` JSON) goes through the same archive encoder
as generated results, so the client decodes exactly what was given, with the
task's own uuid and file name. Numbers travel as the API sends them: scores and
box coordinates as float32, so 0.93 comes back as 0.9300000071525574.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..models import ClassificationPredictImageResponse, ClassificationPredictVideoResponse

__all__ = ["FixtureResult", "fixture_archive", "fixture_key", "fixture_result", "load_fixtures", "to_fixtures"]

FixtureResult = ClassificationPredictImageResponse | ClassificationPredictVideoResponse

_SHA256 = re.compile(r"[0-9a-f]{64}")


def fixture_key(media: bytes | bytearray | memoryview | str) -> str:
    """The key a fixture is filed under: the SHA-256 (lower-case hex) of the
    media's bytes, or `media` itself when it is a SHA-256 in hex."""
    if isinstance(media, str):
        key = media.strip().lower()
        if not _SHA256.fullmatch(key):
            raise ValueError(f"a fixture's key is the media's bytes or their SHA-256 in hex; got {media[:80]!r}")
        return key
    if isinstance(media, bytes | bytearray | memoryview):
        return hashlib.sha256(media).hexdigest()
    raise TypeError(f"a fixture's key is the media's bytes or their SHA-256 in hex; got {type(media).__name__}")


def fixture_result(result: FixtureResult | Mapping[str, Any]) -> FixtureResult:
    """A response object as given, or one read from its `to_dict()` JSON (a video
    result is the one with `frames_per_second`). The uuid and file name may be
    left out: the task's own are returned."""
    if isinstance(result, ClassificationPredictImageResponse | ClassificationPredictVideoResponse):
        return result
    if not isinstance(result, Mapping):
        raise TypeError(f"a fixture's result is a response or its to_dict(); got {type(result).__name__}")
    data = {"prediction_task_uuid": "", "original_file_name": None, **result}
    if "frames_per_second" in data or "frame_timestamps_microseconds" in data:
        return ClassificationPredictVideoResponse.from_dict(data)
    return ClassificationPredictImageResponse.from_dict(data)


def to_fixtures(value: Any) -> dict[str, FixtureResult]:
    """EmulatorConfig's converter: a mapping of media (or SHA-256) to result, checked."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"fixtures must map media (or their SHA-256) to results; got {type(value).__name__}")
    try:
        return {fixture_key(media): fixture_result(result) for media, result in value.items()}
    except TypeError as error:
        raise ValueError(str(error)) from None


def load_fixtures(directory: str | Path) -> dict[str, FixtureResult]:
    """Every `<sha256>.json` file of `directory`: the result for the media with that SHA-256.

    Raises ValueError naming the first file that is not one.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise ValueError(f"no fixtures directory {folder}")
    fixtures: dict[str, FixtureResult] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            key = fixture_key(path.stem)
            fixtures[key] = fixture_result(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError, OSError) as error:
            raise ValueError(f"fixture {path}: {error}") from None
    return fixtures


def fixture_archive(result: FixtureResult, prediction_type: str) -> bytes:
    """The results archive of a fixture, for a task of `prediction_type`."""
    from .archive import encode_results

    if isinstance(result, ClassificationPredictVideoResponse):
        if prediction_type != "video":
            raise ValueError("this media's fixture is a video result, but its task predicts an image")
        return encode_results(result.objects, result.frame_timestamps_microseconds)
    if prediction_type != "image":
        raise ValueError("this media's fixture is an image result, but its task predicts a video")
    return encode_results(result.objects)
