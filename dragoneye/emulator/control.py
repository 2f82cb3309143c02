"""The emulator's control endpoints: knobs, counters and health, under /_emulator/."""

from __future__ import annotations

import json
from collections.abc import Callable

import attrs
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .config import EmulatorConfig
from .responses import bad_request
from .state import TaskStore
from .stats import EmulatorStats


@attrs.define
class ControlHost:
    """What tests and benchmarks use to steer and read a running emulator."""

    config: EmulatorConfig
    stats: EmulatorStats
    store: TaskStore
    reset_stats: Callable[[], None]
    """Zeroes the counters and starts the fault counts over."""

    def routes(self) -> list[Route]:
        """The control routes."""
        return [
            Route("/_emulator/config", self.get_config, methods=["GET"]),
            Route("/_emulator/config", self.set_config, methods=["POST"]),
            Route("/_emulator/stats", self.get_stats, methods=["GET"]),
            Route("/_emulator/stats/reset", self.post_reset_stats, methods=["POST"]),
            Route("/_emulator/health", self.health, methods=["GET"]),
        ]

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
            return bad_request(str(error))
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
