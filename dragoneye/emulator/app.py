"""The emulated Dragoneye API: the routes of openapi.yaml, the storage host and the control endpoints."""

from __future__ import annotations

import contextlib
import hmac
import json
from collections.abc import AsyncIterator
from typing import Any
from xml.sax.saxutils import escape

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from .._wire import (
    API_KEY_HEADER,
    FRAMES_PER_SECOND_HEADER,
    ORIGINAL_FILE_NAME_HEADER,
    RESPONSE_VERSION,
)
from .config import EmulatorConfig
from .faults import FaultInjector, FaultMiddleware
from .model_name import parse_model_name
from .predictions import GenerationParams, PredictionType
from .results import ArchiveBuilder
from .state import PREDICTED, Task, TaskStateError, TaskStore, Upload
from .stats import EmulatorStats
from .storage import PolicyError, PolicySigner
from .upload import UploadFormError, receive_upload
from .validation import STORAGE_PATH, SpecRequest, form_as_urlencoded, openapi, request_errors

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_MAX_FORM_BYTES = 1024 * 1024


class EmulatorService:
    """The emulator's state and its request handlers."""

    def __init__(
        self,
        config: EmulatorConfig,
        stats: EmulatorStats | None = None,
        signer: PolicySigner | None = None,
    ) -> None:
        self.config = config
        self.stats = stats if stats is not None else EmulatorStats()
        self.signer = signer if signer is not None else PolicySigner()
        self.store = TaskStore()
        self.faults = FaultInjector(config)
        self._builder: ArchiveBuilder | None = None

    def reset_stats(self) -> None:
        """Zero the counters and start the fault counts over."""
        self.stats.reset()
        self.faults.reset()

    def app(self) -> ASGIApp:
        """The ASGI application."""
        routes = [
            Route("/prediction-task/begin", self.begin, methods=["POST"]),
            Route(STORAGE_PATH, self.upload, methods=["POST"]),
            Route(STORAGE_PATH.rstrip("/"), self.upload, methods=["POST"]),
            Route("/predict", self.predict, methods=["POST"]),
            Route("/prediction-task/status", self.status, methods=["GET"]),
            Route("/prediction-task/results", self.results, methods=["GET"]),
            Route("/_emulator/config", self.get_config, methods=["GET"]),
            Route("/_emulator/config", self.set_config, methods=["POST"]),
            Route("/_emulator/stats", self.get_stats, methods=["GET"]),
            Route("/_emulator/stats/reset", self.post_reset_stats, methods=["POST"]),
            Route("/_emulator/health", self.health, methods=["GET"]),
        ]
        starlette = Starlette(
            routes=routes,
            exception_handlers={HTTPException: _http_error},
            lifespan=self._lifespan,
        )
        return FaultMiddleware(starlette, self.config, self.stats, self.faults)

    @contextlib.asynccontextmanager
    async def _lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        self._builder = ArchiveBuilder()
        self._builder.warm_up(openapi)
        try:
            yield
        finally:
            self._builder.close()

    # ---- API operations ----

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
            return _bad_request(f"Unsupported mimetype {mimetype!r}: expected an image/* or video/* type")
        response_version = body.get("response_version")
        if response_version is not None and response_version != RESPONSE_VERSION:
            return _bad_request(f"Unsupported response_version {response_version!r}: expected {RESPONSE_VERSION!r}")
        file_name = body.get("file_name")
        if file_name is not None and not _is_header_safe(str(file_name)):
            return _bad_request("file_name must not contain control characters nor start or end with whitespace")
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

    async def upload(self, request: Request) -> Response:
        """POST /_storage/: the presigned upload (no API key)."""
        try:
            received = await receive_upload(request.headers.get("content-type"), request.stream())
        except UploadFormError as error:
            return _s3_error(400, "MalformedPOSTRequest", str(error))
        except ClientDisconnect:
            return _s3_error(400, "IncompleteBody", "the client went away before the upload was complete")
        try:
            policy = self.signer.verify(received.fields)
        except PolicyError as error:
            return _s3_error(403, error.code, error.message)
        if not received.has_file:
            return _s3_error(400, "InvalidArgument", "POST requires exactly one file upload per request (field 'file')")
        if received.size > policy.max_bytes:
            return _s3_error(400, "EntityTooLarge", "your proposed upload exceeds the maximum allowed size")
        task = self.store.by_blob_path(policy.key)
        if task is None:
            return _s3_error(403, "AccessDenied", "no prediction task owns this key")
        try:
            task.record_upload(Upload(sha256=received.sha256, size=received.size))
        except TaskStateError as error:
            return _s3_error(403, "AccessDenied", str(error))
        self.stats.add("uploads_completed")
        self.stats.add("upload_bytes", received.size)
        status = 201 if received.fields.get("success_action_status") == "201" else 204
        return Response(status_code=status)

    async def predict(self, request: Request) -> Response:
        """POST /predict: start predicting an uploaded task (again: a no-op)."""
        if (denied := self._authorize(request)) is not None:
            return denied
        body, problems = await self._validated_form(request)
        if problems:
            return _unprocessable(problems)
        try:
            model_name, options = parse_model_name(str(body["model_name"]))
        except ValueError as error:
            return _bad_request(str(error))
        task = self.store.get(str(body["prediction_task_uuid"]))
        if task is None:
            return _not_found(str(body["prediction_task_uuid"]))
        if not task.started:
            if task.upload is None:
                return _bad_request("The media of this prediction task has not been uploaded yet")
            fail = options.fail or self.config.fail_tasks
            delay = options.delay if options.delay is not None else self.config.processing_delay
            task.start(model_name, options, delay=delay, fail=fail)
            if not fail:
                params = GenerationParams.resolve(self.config, options, task.prediction_type, task.frames_per_second)
                task.archive = self._archives().submit(task.upload.sha256, params)
            self.stats.add("predictions_started")
        return JSONResponse(
            {"prediction_task_uuid": task.uuid, "prediction_type": task.prediction_type, "status": task.status}
        )

    async def status(self, request: Request) -> Response:
        """GET /prediction-task/status."""
        task_or_error = self._task_from_query(request)
        if isinstance(task_or_error, Response):
            return task_or_error
        task = task_or_error
        return JSONResponse(
            {"prediction_task_uuid": task.uuid, "prediction_type": task.prediction_type, "status": task.status}
        )

    async def results(self, request: Request) -> Response:
        """GET /prediction-task/results: the STORED zip of a predicted task."""
        task_or_error = self._task_from_query(request)
        if isinstance(task_or_error, Response):
            return task_or_error
        task = task_or_error
        version = request.query_params.get("response_version")
        if version != RESPONSE_VERSION:
            return _bad_request(f"Unsupported response_version {version!r}: expected {RESPONSE_VERSION!r}")
        status = task.status
        if status != PREDICTED or task.archive is None:
            if status.startswith("failed"):
                return _bad_request(f"Results are not available: the prediction task failed ({status})")
            return _bad_request(f"Results are not available yet: the prediction task is {status}")
        headers: dict[str, str] = {}
        if task.prediction_type == "video":
            headers[FRAMES_PER_SECOND_HEADER] = str(task.frames_per_second)
        response = Response(task.archive.result(), media_type="application/zip", headers=headers)
        if task.file_name is not None:
            # UTF-8 on the wire, as the hosted service (and every client) handles it.
            response.raw_headers.append((ORIGINAL_FILE_NAME_HEADER.lower().encode(), task.file_name.encode("utf-8")))
        return response

    # ---- control endpoints ----

    async def get_config(self, _request: Request) -> Response:
        """GET /_emulator/config: the current knobs."""
        return JSONResponse(self.config.to_dict())

    async def set_config(self, request: Request) -> Response:
        """POST /_emulator/config: change knobs from a JSON object; answers the new knobs."""
        try:
            changes = json.loads(await request.body())
            if not isinstance(changes, dict):
                raise ValueError("the body must be a JSON object of knob names and values")
            self.config.update(changes)
        except ValueError as error:
            return _bad_request(str(error))
        return JSONResponse(self.config.to_dict())

    async def get_stats(self, _request: Request) -> Response:
        """GET /_emulator/stats: the counters, and the number of tasks."""
        return JSONResponse({**self.stats.snapshot(), "tasks": len(self.store)})

    async def post_reset_stats(self, _request: Request) -> Response:
        """POST /_emulator/stats/reset: zero the counters and the fault counts."""
        self.reset_stats()
        return JSONResponse(self.stats.snapshot())

    async def health(self, _request: Request) -> Response:
        """GET /_emulator/health."""
        return JSONResponse({"status": "ok"})

    # ---- helpers ----

    def _authorize(self, request: Request) -> Response | None:
        key = request.headers.get(API_KEY_HEADER)
        if not key:
            self.stats.add("unauthorized")
            return _error(401, f"Missing API key: send it in the {API_KEY_HEADER} header")
        if not any(hmac.compare_digest(key.encode(), accepted.encode()) for accepted in self.config.api_keys):
            self.stats.add("unauthorized")
            return _error(401, "The API key is not valid")
        return None

    async def _validated_form(self, request: Request) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The form's fields as the spec types them, or the spec's complaints."""
        content_type = request.headers.get("content-type", "")
        media_type = content_type.split(";", 1)[0].strip().lower()
        body = await request.body()
        if len(body) > _MAX_FORM_BYTES:
            return {}, [{"loc": ["body"], "msg": "the form is too large", "type": "value_error"}]
        if media_type == "multipart/form-data":
            async with request.form() as form:
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


def _error(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def _bad_request(detail: str) -> JSONResponse:
    return _error(400, detail)


def _not_found(task_uuid: str) -> JSONResponse:
    return _error(404, f"No prediction task with uuid {task_uuid!r}")


def _unprocessable(problems: list[dict[str, Any]]) -> JSONResponse:
    return JSONResponse({"detail": problems}, status_code=422)


def _s3_error(status: int, code: str, message: str) -> Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
    )
    return Response(body, status_code=status, media_type="application/xml")


async def _http_error(_request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "Internal Server Error"
    headers = exc.headers if isinstance(exc, HTTPException) else None
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)
