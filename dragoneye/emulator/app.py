"""The emulator's ASGI application: its three hosts, behind the fault injector.

- the API host (`api.py`): the operations of openapi.yaml;
- the storage host (`storage_host.py`): presigned uploads;
- the control endpoints (`control.py`): knobs and counters for tests.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp

from .api import ApiHost
from .config import EmulatorConfig
from .control import ControlHost
from .faults import FaultInjector, FaultMiddleware
from .responses import http_error
from .state import TaskStore
from .stats import EmulatorStats
from .storage import PolicySigner
from .storage_host import StorageHost


class EmulatorService:
    """The emulator's state, and the hosts that answer from it."""

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
        self.api = ApiHost(config, self.stats, self.store, self.signer)
        self.storage = StorageHost(self.signer, self.store, self.stats)
        self.control = ControlHost(config, self.stats, self.store, self.reset_stats)

    def reset_stats(self) -> None:
        """Zero the counters and start the fault counts over."""
        self.stats.reset()
        self.faults.reset()

    def app(self) -> ASGIApp:
        """The ASGI application."""
        starlette = Starlette(
            routes=[*self.api.routes(), *self.storage.routes(), *self.control.routes()],
            exception_handlers={HTTPException: http_error},
            lifespan=self.api.lifespan,
        )
        return FaultMiddleware(starlette, self.config, self.stats, self.faults)
