"""A local, stateful emulator of the hosted Dragoneye API.

    from dragoneye.emulator import Emulator, EmulatorConfig

    with Emulator(EmulatorConfig(processing_delay=0.1)) as emu:
        ...  # point a client at emu.base_url with emu.api_key

Run it stand-alone with `python -m dragoneye.emulator --port 0`. Per-task knobs
ride in the model name: `recognize_anything/m?objects=50&frames=120&delay=0.2&fail=1`.

The server's dependencies (the `emulator` extra) load on first use of a name
below, so `dragoneye.emulator.archive` and the pytest plugin import without them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import DEFAULT_API_KEY, EmulatorConfig
    from .fixtures import load_fixtures
    from .server import Emulator
    from .stats import EmulatorStats

__all__ = ["DEFAULT_API_KEY", "Emulator", "EmulatorConfig", "EmulatorStats", "load_fixtures"]

_HOMES = {
    "DEFAULT_API_KEY": ".config",
    "EmulatorConfig": ".config",
    "Emulator": ".server",
    "EmulatorStats": ".stats",
    "load_fixtures": ".fixtures",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home, __name__), name)
