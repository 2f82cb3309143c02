"""Helpers of the emulator tests: an httpx client whose every response is checked
against openapi.yaml, and the steps of one prediction."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import httpx
import pyarrow as pa
import pyarrow.parquet as pq

from dragoneye.emulator.validation import SpecRequest, SpecResponse, operation_id, split_url, validate_response

RESULTS_VERSION = {"response_version": "parquet_object"}


class SpecCheckedClient(httpx.Client):
    """An httpx.Client that fails the test on any response openapi.yaml does not allow."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(event_hooks={"response": [self._check]}, **kwargs)
        self.checked: list[str] = []

    def _check(self, response: httpx.Response) -> None:
        response.read()
        check_response(response)
        self.checked.append(f"{response.request.method} {response.request.url.path} -> {response.status_code}")


def check_response(response: httpx.Response) -> None:
    """Raise AssertionError unless `response` is one the spec allows for its request."""
    request = response.request
    path, query = split_url(str(request.url))
    if operation_id(request.method, path) is None:
        return  # the control endpoints and unknown routes are not part of the API
    spec_request = SpecRequest(
        request.method,
        path,
        query=query,
        headers=list(request.headers.multi_items()),
        content_type=request.headers.get("content-type", ""),
    )
    spec_response = SpecResponse(response.status_code, list(response.headers.multi_items()), response.content)
    problems = validate_response(spec_request, spec_response)
    assert not problems, f"{request.method} {path} -> {response.status_code} breaks openapi.yaml: {problems}"


# ---- one prediction, step by step ----


def begin(client: httpx.Client, mimetype: str = "image/jpeg", **fields: str) -> dict[str, Any]:
    response = client.post("/prediction-task/begin", data={"mimetype": mimetype, **fields})
    assert response.status_code == 200, response.text
    payload: dict[str, Any] = response.json()
    return payload


def upload(storage: httpx.Client, begun: dict[str, Any], data: bytes, **overrides: str) -> httpx.Response:
    presigned = begun["signed_urls"][0]["presigned_post_request"]
    fields = {**presigned["fields"], **overrides}
    return storage.post(presigned["url"], data=fields, files={"file": ("file", data, "application/octet-stream")})


def predict(client: httpx.Client, task_uuid: str, model_name: str = "recognize_anything/test_model") -> httpx.Response:
    return client.post("/predict", data={"model_name": model_name, "prediction_task_uuid": task_uuid})


def status(client: httpx.Client, task_uuid: str) -> str:
    response = client.get("/prediction-task/status", params={"predictionTaskUuid": task_uuid})
    assert response.status_code == 200, response.text
    return str(response.json()["status"])


def wait_done(client: httpx.Client, task_uuid: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while (current := status(client, task_uuid)) not in {"predicted"} and not current.startswith("failed"):
        assert time.monotonic() < deadline, f"task still {current}"
        time.sleep(0.01)
    return current


def results(client: httpx.Client, task_uuid: str) -> httpx.Response:
    return client.get("/prediction-task/results", params={"predictionTaskUuid": task_uuid, **RESULTS_VERSION})


def run_prediction(
    client: httpx.Client,
    storage: httpx.Client,
    data: bytes,
    mimetype: str = "image/jpeg",
    model_name: str = "recognize_anything/test_model",
    **fields: str,
) -> tuple[str, httpx.Response]:
    """Begin, upload, predict, wait; the task's uuid and its results response."""
    begun = begin(client, mimetype, **fields)
    task_uuid = begun["prediction_task_uuid"]
    assert upload(storage, begun, data).status_code == 201
    assert predict(client, task_uuid, model_name).status_code == 200
    assert wait_done(client, task_uuid) == "predicted"
    response = results(client, task_uuid)
    assert response.status_code == 200, response.text
    return task_uuid, response


def read_archive(body: bytes) -> tuple[list[dict[str, Any]], list[int] | None]:
    """The rows of predictions.parquet and the frame timestamps (None when absent)."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
        members = {name: archive.read(name) for name in archive.namelist()}
    table = pq.read_table(pa.BufferReader(members["predictions.parquet"]))
    frames = members.get("frame_timestamps.parquet")
    timestamps = None
    if frames is not None:
        timestamps = pq.read_table(pa.BufferReader(frames)).column("timestamp_microseconds").to_pylist()
    return table.to_pylist(), timestamps
