"""Check requests and responses against openapi.yaml with openapi-core.

The app validates every API request before handling it (a plainly valid one
through the shortcut of `plain_requests.py`); tests validate every response
with `validate_response`. The spec is read from the installed
package (wheels carry it as `dragoneye/openapi.yaml`) or, in a source tree,
from the repository root.
"""

from __future__ import annotations

import importlib.resources
import re
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

if TYPE_CHECKING:
    from openapi_core import OpenAPI

API_SERVER_URL = "https://api.dragoneye.ai"
"""The spec's server of the API operations: requests are checked as if sent there."""
STORAGE_SERVER_URL = "https://storage.googleapis.com/dragoneye-uploads"
"""The default of the spec's upload server variable."""
STORAGE_PATH = "/_storage/"
"""Where the emulator serves the presigned upload."""

_OPERATIONS = {
    ("POST", "/prediction-task/begin"): "beginPredictionTask",
    ("POST", "/predict"): "predict",
    ("GET", "/prediction-task/status"): "getPredictionTaskStatus",
    ("GET", "/prediction-task/results"): "getPredictionTaskResults",
    ("POST", STORAGE_PATH): "uploadMedia",
    ("POST", STORAGE_PATH.rstrip("/")): "uploadMedia",
}
_lock = threading.Lock()
_load_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def operation_id(method: str, path: str) -> str | None:
    """The operationId of openapi.yaml that serves `method path` on the emulator, if any."""
    return _OPERATIONS.get((method.upper(), path))


def spec_path() -> Path:
    """Where openapi.yaml is: inside the installed package, else at the repository root."""
    packaged = importlib.resources.files("dragoneye") / "openapi.yaml"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "openapi.yaml"


def openapi() -> OpenAPI:
    """The parsed spec (loaded once per process)."""
    api: OpenAPI = _openapi_core()["api"]
    return api


def _openapi_core() -> dict[str, Any]:
    """openapi-core, werkzeug and the parsed spec, loaded once under a lock.

    They are imported on first use (they take longer to import than the rest
    of the emulator, which must listen within a second), and by one thread
    only: openapi-core's circular imports break when two threads race.
    """
    with _load_lock:
        if not _loaded:
            from openapi_core import Config, OpenAPI
            from openapi_core.datatypes import RequestParameters
            from openapi_core.validation.request.exceptions import SecurityValidationError
            from werkzeug.datastructures import Headers, ImmutableMultiDict
            from yaml import safe_load

            from .plain_requests import PlainRequests

            # Under OpenAPI 3.1 openapi-core checks `type: string, format: binary`
            # against bytes and fails: binary bodies are read as latin-1 text instead.
            config = Config(extra_media_type_deserializers={"application/zip": _binary_as_text})
            _loaded.update(
                api=OpenAPI.from_path(spec_path(), config=config),
                plain=PlainRequests(safe_load(spec_path().read_text(encoding="utf-8"))),
                RequestParameters=RequestParameters,
                SecurityValidationError=SecurityValidationError,
                Headers=Headers,
                ImmutableMultiDict=ImmutableMultiDict,
            )
        return _loaded


def _binary_as_text(data: bytes, **_parameters: str) -> str:
    return data.decode("latin-1")


class SpecRequest:
    """A request as openapi-core reads it (the `openapi_core.protocols.Request` protocol)."""

    def __init__(
        self,
        method: str,
        path: str,
        *,
        query: Sequence[tuple[str, str]] = (),
        headers: Mapping[str, str] | Sequence[tuple[str, str]] = (),
        body: bytes | None = None,
        content_type: str = "",
    ) -> None:
        self.operation_id = operation_id(method, path)
        if self.operation_id == "uploadMedia":
            self.host_url, self.path = STORAGE_SERVER_URL, "/"
        else:
            self.host_url, self.path = API_SERVER_URL, path
        self.method = method.lower()
        self.body = body
        self.content_type = content_type
        self.query = list(query)
        core = _openapi_core()
        self.parameters = core["RequestParameters"](
            query=core["ImmutableMultiDict"](self.query),
            header=core["Headers"](list(headers.items()) if isinstance(headers, Mapping) else list(headers)),
            cookie=core["ImmutableMultiDict"](),
        )


class SpecResponse:
    """A response as openapi-core reads it (the `openapi_core.protocols.Response` protocol)."""

    def __init__(self, status_code: int, headers: Mapping[str, str] | Sequence[tuple[str, str]], data: bytes) -> None:
        self.status_code = status_code
        self.headers = _openapi_core()["Headers"](
            list(headers.items()) if isinstance(headers, Mapping) else list(headers)
        )
        self.content_type = self.headers.get("Content-Type", "")
        self.data = data


def form_as_urlencoded(fields: Sequence[tuple[str, str]]) -> tuple[bytes, str]:
    """A form re-encoded as x-www-form-urlencoded, for validation.

    openapi-core does not cast multipart values to the schema's types, so a
    multipart form is validated as the equivalent urlencoded one.
    """
    return urlencode(list(fields)).encode("ascii"), "application/x-www-form-urlencoded"


def request_errors(request: SpecRequest) -> tuple[list[dict[str, Any]], Any]:
    """Problems the spec finds in `request` (auth aside), and the unmarshalled body."""
    if request.operation_id is not None:
        accepted = _openapi_core()["plain"].accept(
            request.operation_id, request.query, request.content_type, request.body
        )
        if accepted is not None:
            return [], accepted.body
    return spec_errors(request)


def spec_errors(request: SpecRequest) -> tuple[list[dict[str, Any]], Any]:
    """`request_errors` as openapi-core finds them, without the shortcut for plainly valid requests."""
    core = _openapi_core()
    with _lock:
        result = core["api"].unmarshal_request(request)
    security_error = core["SecurityValidationError"]
    problems = [item for error in result.errors if not isinstance(error, security_error) for item in _describe(error)]
    return problems, result.body


def validate_response(request: SpecRequest, response: SpecResponse) -> list[str]:
    """Where `response` does not match the spec for `request` (empty: it matches)."""
    with _lock:
        result = openapi().unmarshal_response(request, response)
    return [_chain(error) for error in result.errors]


def _chain(error: BaseException) -> str:
    parts = []
    current: BaseException | None = error
    while current is not None:
        text = _shorten(str(current) or type(current).__name__)
        details = [f"{list(item.absolute_path)}: {item.message}" for item in getattr(current, "schema_errors", ())]
        parts.append(text + (f" ({'; '.join(details)})" if details else ""))
        current = current.__cause__
    return " <- ".join(parts)


def _shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


_REQUIRED = re.compile(r"'([^']+)' is a required property")


def _describe(error: BaseException) -> list[dict[str, Any]]:
    """FastAPI-style `{"loc", "msg", "type"}` items for one openapi-core error."""
    name = getattr(error, "name", None)
    location = getattr(error, "location", None)
    if name is not None and location is not None:
        cause = error.__cause__
        if type(error).__name__ == "MissingRequiredParameter":
            return [{"loc": [location, name], "msg": "Field required", "type": "missing"}]
        message = _leaf_message(cause) if cause is not None else str(error)
        return [{"loc": [location, name], "msg": message, "type": "value_error"}]
    if type(error).__name__ == "MissingRequiredRequestBody":
        return [{"loc": ["body"], "msg": "Field required", "type": "missing"}]
    leaf = error
    while leaf.__cause__ is not None and not getattr(leaf, "schema_errors", None):
        leaf = leaf.__cause__
    schema_errors = getattr(leaf, "schema_errors", None)
    if schema_errors:
        items = []
        for schema_error in schema_errors:
            path = list(schema_error.absolute_path)
            missing = _REQUIRED.match(schema_error.message)
            if schema_error.validator == "required" and missing:
                items.append({"loc": ["body", *path, missing.group(1)], "msg": "Field required", "type": "missing"})
            else:
                items.append({"loc": ["body", *path], "msg": schema_error.message, "type": str(schema_error.validator)})
        return items
    return [{"loc": ["body"], "msg": _leaf_message(error), "type": "value_error"}]


def _leaf_message(error: BaseException) -> str:
    leaf = error
    while leaf.__cause__ is not None:
        if getattr(leaf, "schema_errors", None):
            break
        leaf = leaf.__cause__
    schema_errors = getattr(leaf, "schema_errors", None)
    if schema_errors:
        return "; ".join(item.message for item in schema_errors)
    return str(leaf) or type(leaf).__name__


def split_url(url: str) -> tuple[str, list[tuple[str, str]]]:
    """The path and the query pairs of `url`."""
    parts = urlsplit(url)
    return parts.path or "/", parse_qsl(parts.query, keep_blank_values=True)
