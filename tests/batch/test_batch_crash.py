"""`dragoneye batch` killed with SIGKILL at random moments, then resumed: nothing lost, nothing doubled."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from dragoneye.emulator import Emulator, EmulatorConfig

from .conftest import MODEL

pytestmark = pytest.mark.live

MEDIA = 300
KILLS = 4


def _command(folder: Path, output: Path, emulator: Emulator) -> tuple[list[str], dict[str, str]]:
    argv = [sys.executable, "-m", "dragoneye.cli", "batch", str(folder), "--model", MODEL]
    argv += ["--output", str(output), "--concurrency", "16", "--json"]
    env = dict(os.environ, DRAGONEYE_BASE_URL=emulator.base_url, DRAGONEYE_API_KEY=emulator.api_key)
    return argv, env


def _ledger_states(ledger: Path) -> dict[str, int]:
    with sqlite3.connect(ledger) as db:
        return dict(db.execute("SELECT state, COUNT(*) FROM media GROUP BY state").fetchall())


def _wait_for_progress(ledger: Path, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Wait until the job has begun some tasks (so a kill lands mid-job)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if ledger.exists():
            try:
                states = _ledger_states(ledger)
            except sqlite3.Error:
                states = {}
            if sum(count for state, count in states.items() if state != "pending") > 0:
                return
        time.sleep(0.05)


def test_sigkill_at_random_moments_then_resume(make_images: Callable[[int], Path], tmp_path: Path) -> None:
    folder = make_images(MEDIA)
    output = tmp_path / "out.parquet"
    ledger = tmp_path / "out.parquet.ledger"
    rng = random.Random(11)
    in_flight_begins = 0
    kills = 0
    with Emulator(EmulatorConfig(processing_delay=0.01)) as emulator:
        argv, env = _command(folder, output, emulator)
        for _ in range(KILLS):
            process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            _wait_for_progress(ledger, process)
            time.sleep(rng.uniform(0.0, 1.5))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.communicate()
            # A row still `beginning` had its begin in flight at the kill.
            in_flight_begins += _ledger_states(ledger).get("beginning", 0)
        final = subprocess.run(argv, env=env, capture_output=True, timeout=120, check=False)
        tasks_begun = emulator.stats.tasks_begun

    print(f"kills={kills} in-flight begins at kills={in_flight_begins} tasks begun={tasks_begun} media={MEDIA}")
    assert final.returncode == 0, final.stderr.decode()
    assert kills >= 2, "the job finished before it could be killed: make it bigger"
    summary = json.loads(final.stdout.decode().splitlines()[-1])
    assert summary["ledger"]["done"] == MEDIA
    table = pq.read_table(output)
    assert set(pc.unique(table["status"]).to_pylist()) == {"done"}
    # Exactly one row set per media: every media once, each from exactly one task.
    names = table["media_name"].to_pylist()
    assert len(set(names)) == MEDIA
    tasks_per_media: dict[str, set[str]] = {}
    for name, uuid in zip(names, table["prediction_task_uuid"].to_pylist(), strict=True):
        tasks_per_media.setdefault(name, set()).add(uuid)
    assert all(len(uuids) == 1 for uuids in tasks_per_media.values())
    object_ids = list(zip(names, table["object_id"].to_pylist(), strict=True))
    assert len(object_ids) == len(set(object_ids)), "an object's row was written twice"
    # Tasks begun twice are at most those whose begin was in flight at a kill, and the summary says so.
    assert tasks_begun <= MEDIA + in_flight_begins
    assert summary["ledger"]["begun_again"] >= tasks_begun - MEDIA
    assert summary["ledger"]["begun_again"] <= in_flight_begins
    assert not Path(str(output) + ".partial").exists()
