"""What every emulated endpoint checks first: the API key, and the size of the body."""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import JSONResponse

from .._wire import API_KEY_HEADER
from .config import EmulatorConfig
from .responses import error
from .stats import EmulatorStats


class BodyTooLarge(Exception):
    """A request body over its cap; `response` is the 413 to answer."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body exceeds {limit} bytes")
        self.response = error(413, f"The request body is larger than {limit} bytes")


def authorize(request: Request, config: EmulatorConfig, stats: EmulatorStats) -> JSONResponse | None:
    """None if the request carries an accepted API key, else the 401 to answer."""
    key = request.headers.get(API_KEY_HEADER)
    if not key:
        stats.add("unauthorized")
        return error(401, f"Missing API key: send it in the {API_KEY_HEADER} header")
    if not any(hmac.compare_digest(key.encode(), accepted.encode()) for accepted in config.api_keys):
        stats.add("unauthorized")
        return error(401, "The API key is not valid")
    return None


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, read as it streams in; BodyTooLarge past `limit` bytes.

    A declared Content-Length over the cap is refused before anything is read.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)
