"""Fixtures of the fault suite.

The emulator is the in-process `dragoneye_emulator` (tests/conftest.py loads
its plugin), fresh for every test, so its counters and fault counts start at 0.
"""

from __future__ import annotations

import pytest

from dragoneye import Dragoneye, ImageDetectedObject
from dragoneye.emulator import Emulator

from .support import DISTINCT_IMAGES, MODEL, Clients, client_options, image


@pytest.fixture
def fault_free(dragoneye_emulator: Emulator) -> list[list[ImageDetectedObject]]:
    """The objects each distinct image gets with no fault injected."""
    with Dragoneye(**client_options(dragoneye_emulator)) as client:
        return [client.classification.predict_image(image(i), MODEL).objects for i in range(DISTINCT_IMAGES)]


@pytest.fixture(params=["blocking", "asyncio", "trio"])
def run(request: pytest.FixtureRequest, dragoneye_emulator: Emulator) -> Clients:
    """Each test that takes `run` runs with the blocking client and with the async one under asyncio and trio."""
    return Clients(str(request.param), dragoneye_emulator)
