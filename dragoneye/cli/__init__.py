"""The `dragoneye` command: predictions, task lookups and the local emulator.

    dragoneye predict FILE... --model NAME [--fps N] [--timeout S] [--json] [--draw OUT] [--concurrency N]
    dragoneye batch INPUT... --model NAME --output FILE [--manifest FILE] [--ledger PATH] [...]
    dragoneye status UUID [--json]
    dragoneye results UUID [--type image|video] [--json]
    dragoneye emulator [--port N] [...]

Expected failures print one `dragoneye: error: ...` line on stderr: exit 2 for
bad usage (nothing was sent), 1 when a request or prediction failed, 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ..types.exception import DragoneyeError, MissingAPIKeyError
from ._common import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    describe,
    error_line,
    secrets,
)
from ._parser import build_parser

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line `argv` (default: sys.argv[1:]); returns the exit status."""
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
    except SystemExit as exit_:  # argparse printed the usage error (or --help / --version)
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    if args.command == "emulator":
        return _run_emulator(extra)
    if extra:
        error_line(f"unrecognized arguments: {' '.join(extra)} (see {parser.prog} {args.command} --help)", [])
        return EXIT_USAGE
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print(f"\n{parser.prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # stdout closed early (`dragoneye ... | head`): stop quietly
        _silence_stdout()
        return EXIT_FAILURE
    except (UsageError, MissingAPIKeyError) as exc:
        error_line(describe(exc), secrets(args))
        return EXIT_USAGE
    except (DragoneyeError, ValueError, OSError) as exc:
        error_line(describe(exc), secrets(args))
        return EXIT_FAILURE


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. captured in tests)
        pass


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "predict":
        from ._predict import run_predict

        return run_predict(args)
    if args.command == "batch":
        from ._batch import run_batch

        return run_batch(args)
    from ._tasks import run_results, run_status

    return run_status(args) if args.command == "status" else run_results(args)


def _run_emulator(argv: list[str]) -> int:
    """Delegate to the emulator's own command line."""
    try:
        from ..emulator.__main__ import main as emulator_main
    except ImportError as exc:
        error_line(f'the emulator needs its extras: pip install "dragoneye-python[emulator]" ({exc})', [])
        return EXIT_USAGE
    try:
        status = emulator_main(argv)
    except SystemExit as exit_:  # the emulator's argparse
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return status if isinstance(status, int) else EXIT_OK
