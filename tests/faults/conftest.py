"""Fixtures of the fault suite.

The emulator is the in-process `dragoneye_emulator` (tests/conftest.py loads
its plugin), fresh for every test, so its counters and fault counts start at 0.
"""

from __future__ import annotations

import pytest

from dragoneye import ImageDetectedObject
from dragoneye.emulator import Emulator

from ..clients import Clients
from .support import DISTINCT_IMAGES, MODEL, clients, image


@pytest.fixture
def fault_free(dragoneye_emulator: Emulator) -> list[tuple[ImageDetectedObject, ...]]:
    """The objects each distinct image gets with no fault injected."""
    with clients("blocking", dragoneye_emulator).blocking() as client:
        return [client.classification.predict_image(image(i), MODEL).objects for i in range(DISTINCT_IMAGES)]


@pytest.fixture
def run(client_kind: str, dragoneye_emulator: Emulator) -> Clients:
    """Each test that takes `run` runs with every kind of client (see `client_kind`)."""
    return clients(client_kind, dragoneye_emulator)
