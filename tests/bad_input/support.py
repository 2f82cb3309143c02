"""Helpers of the bad-input suite: a mock server that records what it was asked."""

from __future__ import annotations

import httpx

from ..clients import Handler


class Recorder:
    """A MockTransport handler that answers with `answer` and keeps every request."""

    def __init__(self, answer: Handler | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self._answer = answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self._answer is None:
            raise AssertionError(f"no request was expected, got {request.method} {request.url}")
        return self._answer(request)
