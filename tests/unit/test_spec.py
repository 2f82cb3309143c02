"""openapi.yaml: valid, complete, and in step with the public types."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

import dragoneye.models

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    return loaded


def _validator(spec: dict[str, Any], name: str) -> OAS31Validator:
    resource: Resource[Any] = DRAFT202012.create_resource(spec)
    registry: Registry[Any] = Registry().with_resource("urn:spec", resource)
    schema = {"$ref": f"urn:spec#/components/schemas/{name}"}
    return OAS31Validator(schema, registry=registry)


def test_spec_is_valid_openapi(spec: dict[str, Any]) -> None:
    validate(spec)


def test_spec_describes_every_operation(spec: dict[str, Any]) -> None:
    operations = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert operations == {
        "beginPredictionTask",
        "uploadMedia",
        "predict",
        "getPredictionTaskStatus",
        "getPredictionTaskResults",
    }
    begin = spec["paths"]["/prediction-task/begin"]["post"]
    assert "application/x-www-form-urlencoded" in begin["requestBody"]["content"]
    upload = spec["paths"]["/"]["post"]
    assert upload["security"] == [] and upload["servers"]
    results = spec["paths"]["/prediction-task/results"]["get"]["responses"]["200"]
    assert set(results["headers"]) == {"X-Original-File-Name", "X-Frames-Per-Second"}
    assert spec["components"]["securitySchemes"]["APIKeyHeader"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
    for path in ("/prediction-task/begin", "/predict", "/prediction-task/status", "/prediction-task/results"):
        for op in spec["paths"][path].values():
            assert {"400", "401", "403", "422", "429", "5XX"} <= set(op["responses"])
            assert "Retry-After" in spec["components"]["responses"]["TooManyRequests"]["headers"]


@pytest.mark.parametrize(
    "name",
    [
        "PredictionTaskStatusResponse",
        "TimestampRange",
        "ScoredTimestampRange",
        "BboxObservation",
        "VideoBboxObservation",
        "ImageAttributePrediction",
        "ImageCategoryPrediction",
        "ImageDetectedObject",
        "VideoAttributePrediction",
        "VideoCategoryPrediction",
        "VideoDetectedObject",
        "ClassificationPredictImageResponse",
        "ClassificationPredictVideoResponse",
    ],
)
def test_public_type_matches_its_component(spec: dict[str, Any], name: str) -> None:
    component = spec["components"]["schemas"][name]
    public = getattr(dragoneye.models, name)
    fields = [field.name for field in attrs.fields(public)]
    assert sorted(fields) == sorted(component["properties"])
    assert sorted(component["required"]) == sorted(fields)


@pytest.mark.parametrize("name", ["ClassificationPredictImageResponse", "ClassificationPredictVideoResponse"])
def test_documented_examples_validate(spec: dict[str, Any], name: str) -> None:
    examples = spec["components"]["schemas"][name]["examples"]
    assert examples
    validator = _validator(spec, name)
    for example in examples:
        validator.validate(example)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NormalizedBbox", [0.1, 0.2, 0.3]),
        ("NormalizedBbox", [0.1, 0.2, 0.3, 1.5]),
        ("VideoBboxObservation", {"timestamp_microseconds": 0}),
        ("ClassificationPredictImageResponse", {"objects": [], "prediction_task_uuid": "u"}),
    ],
)
def test_schemas_reject_bad_values(spec: dict[str, Any], name: str, value: Any) -> None:
    assert not _validator(spec, name).is_valid(value)


def test_gap_frame_observation_is_nullable(spec: dict[str, Any]) -> None:
    assert _validator(spec, "VideoBboxObservation").is_valid({"timestamp_microseconds": 5, "observation": None})


def test_a_generator_warning_fails_generation(tmp_path: Path) -> None:
    changed = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    status = changed["paths"]["/prediction-task/status"]["get"]
    status["responses"]["200"]["content"] = {"application/x-unknown-format": {"schema": {"type": "object"}}}
    spec_path = tmp_path / "openapi.yaml"
    spec_path.write_text(yaml.safe_dump(changed))
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "generator" / "generate.py"),
            "--spec",
            str(spec_path),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode != 0
    assert "failed or warned" in completed.stderr
    assert not (tmp_path / "out").exists()
