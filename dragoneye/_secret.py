"""The API key, kept where no repr, log line or captured frame shows it."""

from __future__ import annotations

import traceback
from collections.abc import Generator, Iterator
from contextlib import contextmanager

import httpx

from ._wire import API_KEY_HEADER
from .types.exception import DragoneyeError

REDACTED = "[redacted]"
MIN_REDACTED_CHARS = 8


class ApiKey(httpx.Auth):
    """The API key as an httpx auth flow: it adds `X-API-Key` to the request
    being sent, so the key is in no dict, header map or local variable of the
    SDK's own frames, and its `repr` never shows it."""

    def __init__(self, value: str) -> None:
        self._value = value

    def __repr__(self) -> str:
        return f"{type(self).__name__}({REDACTED!r})"

    __str__ = __repr__

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[API_KEY_HEADER] = self._value
        yield request

    def redact(self, text: str) -> str:
        """`text` with every occurrence of the key replaced.

        A key shorter than MIN_REDACTED_CHARS is left alone: replacing it would
        mangle every message, and no real key is that short.
        """
        if len(self._value) < MIN_REDACTED_CHARS or self._value not in text:
            return text
        return text.replace(self._value, REDACTED)

    @contextmanager
    def redacting(self) -> Iterator[None]:
        """Redact the key from the message and `detail` of a DragoneyeError
        raised inside: servers may echo what they were sent."""
        try:
            yield
        except DragoneyeError as error:
            error.message = self.redact(error.message)
            error.detail = None if error.detail is None else self.redact(error.detail)
            error.args = tuple(self.redact(arg) if isinstance(arg, str) else arg for arg in error.args)
            raise

    def scrub(self, error: BaseException) -> None:
        """Remove the key from a failed exchange's exception chain: the request
        headers its exceptions hold, and the locals of the frames they passed
        through (httpx and httpcore keep copies of the headers there)."""
        seen: set[int] = set()
        current: BaseException | None = error
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            request = getattr(current, "_request", None)  # httpx.RequestError.request raises when unset
            if isinstance(request, httpx.Request) and API_KEY_HEADER in request.headers:
                request.headers[API_KEY_HEADER] = REDACTED
            if current.__traceback__ is not None:
                traceback.clear_frames(current.__traceback__)
            current = current.__cause__ or current.__context__
