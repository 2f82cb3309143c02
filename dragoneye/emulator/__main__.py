"""`python -m dragoneye.emulator` / `dragoneye-emulator`: run the emulator until SIGINT or SIGTERM.

Prints exactly one line, `Dragoneye emulator listening on http://HOST:PORT`,
once it accepts connections (`--port 0` picks a free port).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

import attrs

from .config import DEFAULT_API_KEY, EmulatorConfig
from .fixtures import load_fixtures
from .server import Emulator


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dragoneye-emulator", description="A local, stateful emulator of the Dragoneye API."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to bind; 0 picks a free one (default: 8000)")
    parser.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="KEY",
        help=f"an accepted X-API-Key (repeatable; default: {DEFAULT_API_KEY})",
    )
    parser.add_argument("--log-level", default="warning", help="uvicorn's log level (default: warning)")
    results = parser.add_argument_group("results")
    results.add_argument(
        "--fixtures",
        metavar="DIR",
        dest="fixtures_dir",
        help="known answers: DIR/<sha256>.json is the result (a response's to_dict()) for media with that SHA-256",
    )
    results.add_argument("--processing-delay", type=float, metavar="SECONDS", help="time a task spends predicting")
    results.add_argument("--image-objects", type=int, metavar="N", help="objects per image")
    results.add_argument("--video-objects", type=int, metavar="N", help="tracked objects per video")
    results.add_argument("--categories-per-object", type=int, metavar="N")
    results.add_argument("--attributes-per-category", type=int, metavar="N")
    results.add_argument("--video-duration", type=float, metavar="SECONDS", dest="video_duration_seconds")
    results.add_argument("--default-frames-per-second", type=int, metavar="N")
    results.add_argument("--upload-ttl", type=float, metavar="SECONDS", dest="upload_url_ttl_seconds")
    results.add_argument("--upload-max-bytes", type=int, metavar="N")
    results.add_argument("--keep-alive", type=float, metavar="SECONDS", dest="keep_alive_seconds")
    faults = parser.add_argument_group("faults")
    faults.add_argument("--rate-limit-every", type=int, metavar="K", help="every Kth call answers 429")
    faults.add_argument(
        "--rate-limit-per-second", type=float, metavar="R", help="a token bucket: R API calls a second, then 429"
    )
    faults.add_argument("--rate-limit-burst", type=int, metavar="N", help="the bucket's size (default: R)")
    faults.add_argument("--retry-after", type=float, metavar="SECONDS", help="Retry-After of 429 and 503 answers")
    faults.add_argument("--error-every", type=int, metavar="K", help="every Kth call answers --error-status")
    faults.add_argument("--error-status", type=int, choices=[500, 502, 503, 504])
    faults.add_argument("--error-methods", metavar="GET,POST", help="methods --error-every counts (default: all)")
    faults.add_argument("--drop-every", type=int, metavar="K", help="every Kth call loses its connection mid-response")
    faults.add_argument("--drop-methods", metavar="GET,POST", help="methods --drop-every counts (default: all)")
    faults.add_argument("--slow-response", type=float, metavar="SECONDS", dest="slow_response_seconds")
    faults.add_argument("--fail-tasks", action="store_true", default=None, help="every task fails")
    return parser


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    """The EmulatorConfig the command line asks for."""
    config = EmulatorConfig()
    changes: dict[str, object] = {
        field.name: getattr(args, field.name)
        for field in attrs.fields(EmulatorConfig)
        if getattr(args, field.name, None) is not None
    }
    for name in ("error_methods", "drop_methods"):
        methods = [method.strip() for method in str(changes.pop(name, "")).split(",") if method.strip()]
        if methods:
            changes[name] = methods
    if args.fixtures_dir is not None:
        changes["fixtures"] = load_fixtures(args.fixtures_dir)
    config.update(changes)
    return config


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator until interrupted; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        config = config_from_args(args)
    except ValueError as error:
        parser.error(str(error))
    stop = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with Emulator(config, host=args.host, port=args.port, log_level=args.log_level) as emulator:
            print(f"Dragoneye emulator listening on {emulator.base_url}", flush=True)
            while not stop.wait(0.1):
                pass
    except OSError as error:
        print(f"dragoneye-emulator: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
