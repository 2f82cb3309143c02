"""The JSON answers the emulated API and its control endpoints share."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response


def error(status: int, detail: object) -> JSONResponse:
    """`{"detail": ...}` with `status`, as the hosted API answers errors."""
    return JSONResponse({"detail": detail}, status_code=status)


def bad_request(detail: str) -> JSONResponse:
    """A 400 saying what was wrong."""
    return error(400, detail)


async def http_error(_request: Request, exc: Exception) -> Response:
    """Starlette's own errors (404, 405...) in the API's JSON shape."""
    if not isinstance(exc, HTTPException):  # pragma: no cover - registered for HTTPException only
        return error(500, "Internal Server Error")
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
