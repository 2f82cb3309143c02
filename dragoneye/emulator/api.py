"""The emulated API host: the operations of openapi.yaml, behind the API key."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import attrs
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Message

from .._wire import (
    FAILED_STATUS_PREFIX,
    FRAMES_PER_SECOND_HEADER,
    ORIGINAL_FILE_NAME_HEADER,
    PREDICTED_STATUS,
    RESPONSE_VERSION,
)
from ..models import ClassificationPredictVideoResponse
from .config import EmulatorConfig
from .guards import BodyTooLarge, authorize, read_body
from .model_name import parse_model_name
from .predictions import GenerationParams
from .responses import bad_request, error
from .results import ArchiveBuilder
from .state import Task, TaskStore
from .stats import EmulatorStats
from .storage import PolicySigner
from .tracks import PredictionType
from .validation import STORAGE_PATH, SpecRequest, form_as_urlencoded, openapi, request_errors

_MAX_FORM_BYTES = 1024 * 1024


@attrs.define
class ApiHost:
    """Begin, predict, status and results; results are built off the event loop."""

    config: EmulatorConfig
    stats: EmulatorStats
    store: TaskStore
    signer: PolicySigner
    _builder: ArchiveBuilder | None = None

    def routes(self) -> list[Route]:
        """The routes of openapi.yaml's API operations."""
        return [
            Route("/prediction-task/begin", self.begin, methods=["POST"]),
            Route("/predict", self.predict, methods=["POST"]),
            Route("/prediction-task/status", self.status, methods=["GET"]),
            Route("/prediction-task/results", self.results, methods=["GET"]),
        ]

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        """Start the archive builder (and load the spec) with the server, stop it with the server."""
        self._builder = ArchiveBuilder()
        self._builder.warm_up(openapi)
        try:
            yield
        finally:
            self._builder.close()

    async def begin(self, request: Request) -> Response:
        """POST /prediction-task/begin: create a task and presign its upload."""
        if (denied := self._authorize(request)) is not None:
            return denied
        body, problems = await self._validated_form(request)
        if problems:
            return _unprocessable(problems)
        mimetype = str(body.get("mimetype", ""))
        prediction_type = _prediction_type(mimetype)
        if prediction_type is None:
            return bad_request(f"Unsupported mimetype {mimetype!r}: expected an image/* or video/* type")
        response_version = body.get("response_version")
        if response_version is not None and response_version != RESPONSE_VERSION:
            return bad_request(f"Unsupported response_version {response_version!r}: expected {RESPONSE_VERSION!r}")
        file_name = body.get("file_name")
        if file_name is not None and not _is_header_safe(str(file_name)):
            return bad_request("file_name must not contain control characters nor start or end with whitespace")
        frames_per_second = None
        if prediction_type == "video":
            frames_per_second = int(body.get("frames_per_second") or self.config.default_frames_per_second)
        task = self.store.create(prediction_type, mimetype, file_name, frames_per_second)
        self.stats.add("tasks_begun")
        fields = self.signer.fields(
            task.blob_path, ttl_seconds=self.config.upload_url_ttl_seconds, max_bytes=self.config.upload_max_bytes
        )
        upload_url = str(request.base_url).rstrip("/") + STORAGE_PATH
        return JSONResponse(
            {
                "prediction_task_uuid": task.uuid,
                "prediction_type": task.prediction_type,
                "signed_urls": [
                    {"blob_path": task.blob_path, "presigned_post_request": {"url": upload_url, "fields": fields}}
                ],
            }
        )

    async def predict(self, request: Request) -> Response:
        """POST /predict: start predicting an uploaded task (again: a no-op)."""
        if (denied := self._authorize(request)) is not None:
            return denied
        body, problems = await self._validated_form(request)
        if problems:
            return _unprocessable(problems)
        try:
            model_name, options = parse_model_name(str(body["model_name"]))
        except ValueError as problem:
            return bad_request(str(problem))
        task = self.store.get(str(body["prediction_task_uuid"]))
        if task is None:
            return _not_found(str(body["prediction_task_uuid"]))
        if not task.started:
            if task.upload is None:
                return bad_request("The media of this prediction task has not been uploaded yet")
            fail = options.fail or self.config.fail_tasks
            delay = options.delay if options.delay is not None else self.config.processing_delay
            try:
                params = GenerationParams.resolve(self.config, options, task.prediction_type, task.frames_per_second)
            except ValueError as problem:
                return bad_request(str(problem))
            task.start(model_name, options, delay=delay, fail=fail)
            fixture = self.config.fixtures.get(task.upload.sha256.hex())
            if fixture is not None and not fail:
                task.archive = self._archives().submit_fixture(fixture, task.prediction_type)
                if isinstance(fixture, ClassificationPredictVideoResponse):
                    task.frames_per_second = fixture.frames_per_second  # the results' header, as given
            elif not fail:
                task.archive = self._archives().submit(task.upload.sha256, params)
            self.stats.add("predictions_started")
        return _task_status(task)

    async def status(self, request: Request) -> Response:
        """GET /prediction-task/status."""
        task_or_error = self._task_from_query(request)
        if isinstance(task_or_error, Response):
            return task_or_error
        return _task_status(task_or_error)

    async def results(self, request: Request) -> Response:
        """GET /prediction-task/results: the STORED zip of a predicted task."""
        task_or_error = self._task_from_query(request)
        if isinstance(task_or_error, Response):
            return task_or_error
        task = task_or_error
        version = request.query_params.get("response_version")
        if version != RESPONSE_VERSION:
            return bad_request(f"Unsupported response_version {version!r}: expected {RESPONSE_VERSION!r}")
        status = task.status
        if status != PREDICTED_STATUS or task.archive is None:
            if status.startswith(FAILED_STATUS_PREFIX):
                return bad_request(f"Results are not available: the prediction task failed ({status})")
            return bad_request(f"Results are not available yet: the prediction task is {status}")
        headers: dict[str, str] = {}
        if task.prediction_type == "video":
            headers[FRAMES_PER_SECOND_HEADER] = str(task.frames_per_second)
        response = Response(task.archive.result(), media_type="application/zip", headers=headers)
        if task.file_name is not None:
            # UTF-8 on the wire, as the hosted service (and every client) handles it.
            response.raw_headers.append((ORIGINAL_FILE_NAME_HEADER.lower().encode(), task.file_name.encode("utf-8")))
        return response

    def _authorize(self, request: Request) -> Response | None:
        return authorize(request, self.config, self.stats)

    async def _validated_form(self, request: Request) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The form's fields as the spec types them, or the spec's complaints."""
        content_type = request.headers.get("content-type", "")
        media_type = content_type.split(";", 1)[0].strip().lower()
        try:
            body = await read_body(request, _MAX_FORM_BYTES)
        except BodyTooLarge:
            return {}, [{"loc": ["body"], "msg": "the form is too large", "type": "value_error"}]
        if media_type == "multipart/form-data":
            async with _replayed(request, body).form() as form:
                fields = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
            body, content_type = form_as_urlencoded(fields)
        spec_request = SpecRequest(
            request.method,
            request.url.path,
            headers=request.headers.items(),
            body=body,
            content_type=content_type,
        )
        problems, values = request_errors(spec_request)
        return (values if isinstance(values, dict) else {}), problems

    def _task_from_query(self, request: Request) -> Task | Response:
        if (denied := self._authorize(request)) is not None:
            return denied
        spec_request = SpecRequest(
            request.method,
            request.url.path,
            query=request.query_params.multi_items(),
            headers=request.headers.items(),
        )
        problems, _ = request_errors(spec_request)
        if problems:
            return _unprocessable(problems)
        task_uuid = request.query_params["predictionTaskUuid"]
        task = self.store.get(task_uuid)
        if task is None:
            return _not_found(task_uuid)
        return task

    def _archives(self) -> ArchiveBuilder:
        if self._builder is None:  # pragma: no cover - the lifespan always runs under uvicorn
            self._builder = ArchiveBuilder()
        return self._builder


def _replayed(request: Request, body: bytes) -> Request:
    """`request` again, its body (read already) served from memory."""

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)


def _task_status(task: Task) -> JSONResponse:
    return JSONResponse(
        {"prediction_task_uuid": task.uuid, "prediction_type": task.prediction_type, "status": task.status}
    )


def _prediction_type(mimetype: str) -> PredictionType | None:
    family, _, subtype = mimetype.partition("/")
    if not subtype.strip():
        return None
    if family == "image":
        return "image"
    if family == "video":
        return "video"
    return None


def _is_header_safe(value: str) -> bool:
    return value == value.strip() and not any(ord(char) < 0x20 or ord(char) == 0x7F for char in value)


def _not_found(task_uuid: str) -> JSONResponse:
    return error(404, f"No prediction task with uuid {task_uuid!r}")


def _unprocessable(problems: list[dict[str, Any]]) -> JSONResponse:
    return error(422, problems)
