"""Fixtures of the hostile-server suite: the server, and a probe of the SDK in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .server import KEY, HostileServer

PROBE = Path(__file__).with_name("probe.py")
IMAGE = Path(__file__).parents[1] / "data" / "house.jpg"
KINDS = ("blocking", "asyncio", "trio")


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer().running() as running:
        yield running


def probe(server: HostileServer, call: str = "predict_image", **spec: Any) -> list[dict[str, Any]]:
    """Run `call` with each client kind in a fresh process against `server`; one outcome per kind."""
    spec = {"base_url": server.url, "key": KEY, "call": call, "media": str(IMAGE), "kinds": KINDS, **spec}
    completed = subprocess.run(
        [sys.executable, str(PROBE), json.dumps(spec)], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    outcomes = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [outcome["kind"] for outcome in outcomes] == list(spec["kinds"]), completed.stderr
    if table := os.environ.get("DRAGONEYE_HOSTILE_TABLE"):  # a record of every case, for reports
        case = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]
        with open(table, "a", encoding="utf-8") as out:
            out.writelines(json.dumps({"case": case, **outcome}) + "\n" for outcome in outcomes)
    return outcomes


def assert_fails(
    outcomes: list[dict[str, Any]], exception: str, *, peak_mib: float, seconds: float, names: str | None = None
) -> None:
    """Each kind raised `exception` (whose message contains `names`) within the memory and time given,
    with the API key nowhere in what the failure exposes."""
    for outcome in outcomes:
        kind = outcome["kind"]
        assert outcome["exception"] == exception, (kind, outcome)
        if names is not None:
            assert names in outcome["message"], (kind, outcome["message"])
        assert outcome["peak_mib"] <= peak_mib, (kind, outcome)
        assert outcome["seconds"] <= seconds, (kind, outcome)
        assert outcome["exposed"] == [], (kind, outcome["exposed"])
        assert KEY not in json.dumps(outcome), (kind, outcome)
