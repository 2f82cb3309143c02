"""The emulator's control endpoints: knobs, counters and health, under /_emulator/."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

import attrs
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .config import EmulatorConfig
from .guards import BodyTooLarge, authorize, read_body
from .responses import bad_request, error
from .state import TaskStore
from .stats import EmulatorStats

_MAX_CONFIG_BYTES = 64 << 10

Endpoint = Callable[[Request], Awaitable[Response]]


@attrs.define
class ControlHost:
    """What tests and benchmarks use to steer and read a running emulator."""

    config: EmulatorConfig
    stats: EmulatorStats
    store: TaskStore
    reset_stats: Callable[[], None]
    """Zeroes the counters and starts the fault counts over."""

    def routes(self) -> list[Route]:
        """The control routes; all but health need the API key, which no web page can send."""
        return [
            Route("/_emulator/config", self._keyed(self.get_config), methods=["GET"]),
            Route("/_emulator/config", self._keyed(self.set_config), methods=["POST"]),
            Route("/_emulator/stats", self._keyed(self.get_stats), methods=["GET"]),
            Route("/_emulator/stats/reset", self._keyed(self.post_reset_stats), methods=["POST"]),
            Route("/_emulator/health", self.health, methods=["GET"]),
        ]

    def _keyed(self, endpoint: Endpoint) -> Endpoint:
        async def guarded(request: Request) -> Response:
            denied = authorize(request, self.config, self.stats)
            return denied if denied is not None else await endpoint(request)

        return guarded

    async def get_config(self, _request: Request) -> Response:
        """GET /_emulator/config: the current knobs."""
        return JSONResponse(self.config.to_dict())

    async def set_config(self, request: Request) -> Response:
        """POST /_emulator/config: change knobs from a JSON object; answers the new knobs."""
        if request.headers.get("content-type", "").split(";", 1)[0].strip().lower() != "application/json":
            return error(415, "The body must be JSON (Content-Type: application/json)")
        try:
            changes = json.loads(await read_body(request, _MAX_CONFIG_BYTES))
            if not isinstance(changes, dict):
                raise ValueError("the body must be a JSON object of knob names and values")
            self.config.update(changes)
        except BodyTooLarge as too_large:
            return too_large.response
        except ValueError as problem:
            return bad_request(str(problem))
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
