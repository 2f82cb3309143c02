"""Waiting is bounded: a status that never changes, Ctrl-C in a blocking batch, the CLI's timeout."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from dragoneye.cli._parser import DEFAULT_CLI_TIMEOUT, build_parser

from .conftest import IMAGE, assert_fails, probe
from .server import KEY, HostileServer, status_body

BATCH = """
import json, sys, time
from dragoneye import Dragoneye, Image
from dragoneye.batch import predict_many_blocking

media = [Image.from_path(sys.argv[3], name=f"photo-{n}") for n in range(4)]
with Dragoneye(api_key=sys.argv[2], base_api_url=sys.argv[1], max_poll_interval=0.05) as client:
    try:
        predict_many_blocking(client, media, "recognize_anything/m", concurrency=2)
    except KeyboardInterrupt:
        print(json.dumps({"interrupted_at": time.monotonic()}), flush=True)
"""


def test_a_status_that_never_changes_is_reported(server: HostileServer) -> None:
    server.routes["/prediction-task/status"] = lambda exchange: exchange.reply(200, status_body("\x1b[2Jmystery"))
    outcomes = probe(server, client={"max_poll_interval": 0.1}, patch={"MAX_UNCHANGED_STATUS_SECONDS": 1.0})
    assert_fails(outcomes, "PredictionTaskError", peak_mib=32, seconds=4, names="has had status '\\x1b[2Jmystery'")
    assert all(outcome["seconds"] >= 1.0 for outcome in outcomes)


def test_ctrl_c_stops_a_blocking_batch_within_a_second(server: HostileServer) -> None:
    server.routes["/prediction-task/status"] = lambda exchange: exchange.reply(200, status_body("predicting"))
    child = subprocess.Popen(
        [sys.executable, "-c", BATCH, server.url, KEY, str(IMAGE)], stdout=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 20
        while sum(r.path == "/prediction-task/status" for r in server.received) < 4:  # both workers polling
            assert time.monotonic() < deadline, "the batch never started polling"
            time.sleep(0.05)
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=5)
        exited = time.monotonic()
    finally:
        child.kill()
    assert json.loads(out)["interrupted_at"] - sent < 1.0
    assert exited - sent < 3.0  # no running prediction holds the interpreter open


def test_the_cli_gives_up_by_default() -> None:
    args = build_parser().parse_args(["predict", "photo.jpg", "--model", "m"])
    assert args.timeout == DEFAULT_CLI_TIMEOUT > 0
