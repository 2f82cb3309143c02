"""pytest fixtures that run the Dragoneye emulator.

Enable them in a conftest.py with::

    pytest_plugins = ["dragoneye.emulator.pytest_plugin"]

- `dragoneye_emulator`: a fresh Emulator for one test.
- `dragoneye_emulator_session`: one Emulator shared by the whole session (its
  knobs and counters are shared too: reset what a test changes).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .server import Emulator


@pytest.fixture
def dragoneye_emulator() -> Iterator[Emulator]:
    """A fresh emulator, stopped when the test ends."""
    from .server import Emulator

    with Emulator() as emulator:
        yield emulator


@pytest.fixture(scope="session")
def dragoneye_emulator_session() -> Iterator[Emulator]:
    """One emulator for the whole session (call `reset_stats()` where counts matter)."""
    from .server import Emulator

    with Emulator() as emulator:
        yield emulator
