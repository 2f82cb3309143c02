"""Fixtures of the emulator tests: the session's emulator with fresh knobs and
counters, and clients whose every response is checked against openapi.yaml."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import pytest

from dragoneye.emulator import Emulator, EmulatorConfig

from .helpers import SpecCheckedClient


@pytest.fixture
def emulator(dragoneye_emulator_session: Emulator) -> Iterator[Emulator]:
    """The session's emulator with default knobs, fresh counters and fresh fault counts."""
    emu = dragoneye_emulator_session
    saved = attrs.evolve(emu.config)
    emu.reset_stats()
    yield emu
    for field in attrs.fields(EmulatorConfig):
        setattr(emu.config, field.name, getattr(saved, field.name))
    emu.reset_stats()


@pytest.fixture
def client(emulator: Emulator) -> Iterator[SpecCheckedClient]:
    """An API client with the emulator's key."""
    with SpecCheckedClient(base_url=emulator.base_url, headers={"X-API-Key": emulator.api_key}, timeout=30) as c:
        yield c


@pytest.fixture
def storage() -> Iterator[SpecCheckedClient]:
    """A client for presigned uploads: no API key."""
    with SpecCheckedClient(timeout=30) as c:
        yield c
