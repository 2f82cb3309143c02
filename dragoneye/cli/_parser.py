"""The command line's grammar (argparse)."""

from __future__ import annotations

import argparse
from typing import Any

from .._constants import API_KEY_ENV, BASE_URL_ENV
from .._version import __version__
from ._common import PROG

DEFAULT_CLI_TIMEOUT = 1800.0
"""Seconds before `predict` gives up on a prediction: a command never waits forever."""

EPILOG = f"""\
The API key comes from --api-key or ${API_KEY_ENV}; the API's URL from --base-url
or ${BASE_URL_ENV}. Exit status: 0 done, 1 a request or prediction failed,
2 bad usage (nothing sent), 130 interrupted.

examples:
  {PROG} predict photo.jpg clip.mp4 --model recognize_anything/my_model
  {PROG} predict *.jpg --model recognize_anything/my_model --json --concurrency 8 > results.jsonl
  {PROG} predict photo.jpg --model recognize_anything/my_model --draw annotated.png
  {PROG} batch photos/ --model recognize_anything/my_model --output results.parquet
  {PROG} status 3f2c...
  {PROG} results 3f2c... --json
  {PROG} emulator --port 8080
"""


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def positive_float(text: str) -> float:
    """argparse type: a finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The `dragoneye` parser and its subcommands."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Run Dragoneye predictions on images and videos from the command line.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_connection_options(parser)
    # The same options after the command (`dragoneye predict ... --api-key K`), without
    # resetting what was given before it.
    connection = argparse.ArgumentParser(add_help=False)
    _add_connection_options(connection, default=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    predict = commands.add_parser(
        "predict", help="predict images and videos", description="Predict images and videos.", parents=[connection]
    )
    predict.add_argument("files", nargs="+", metavar="FILE", help="images and videos (told apart by extension)")
    predict.add_argument("--model", required=True, metavar="NAME", help="e.g. recognize_anything/my_model")
    predict.add_argument("--mime-type", metavar="TYPE", help="the MIME type of every FILE (default: from extension)")
    predict.add_argument(
        "--fps", type=positive_int, default=1, metavar="N", help="video frames sampled per second (default 1)"
    )
    predict.add_argument(
        "--timeout",
        type=positive_float,
        default=DEFAULT_CLI_TIMEOUT,
        metavar="S",
        help=f"give up on a prediction after S seconds (default {DEFAULT_CLI_TIMEOUT:g})",
    )
    predict.add_argument("--json", action="store_true", help="print each response as one line of JSON")
    predict.add_argument(
        "--draw",
        metavar="OUT",
        help="write a picture per file: boxes on an image, a timeline chart for a video"
        " (OUT is a file for one input, else a directory)",
    )
    predict.add_argument(
        "--overwrite", action="store_true", help="let --draw replace pictures that exist (never an input file)"
    )
    predict.add_argument(
        "--concurrency", type=positive_int, default=4, metavar="N", help="predictions in flight at once (default 4)"
    )

    _add_batch(commands, connection)

    status = commands.add_parser("status", help="show a prediction task's status", parents=[connection])
    status.add_argument("uuid", metavar="UUID")
    status.add_argument("--json", action="store_true", help="print the status as JSON")

    results = commands.add_parser("results", help="fetch a finished task's results", parents=[connection])
    results.add_argument("uuid", metavar="UUID")
    results.add_argument(
        "--type", choices=["image", "video"], help="the task's media type (default: asked of the task's status)"
    )
    results.add_argument("--json", action="store_true", help="print the response as JSON")

    commands.add_parser(
        "emulator",
        help="run the local emulator of the API (options: dragoneye emulator --help)",
        add_help=False,
        prefix_chars="\0",  # every option after `emulator` is the emulator's own
    )
    return parser


def _add_batch(commands: Any, connection: argparse.ArgumentParser) -> None:
    batch = commands.add_parser(
        "batch",
        help="a large, resumable job: results into a Parquet or JSON Lines file",
        description="Predict files, folders (recursed), globs or a manifest into one output file. A SQLite"
        " ledger records every media's progress: run the same command again to resume.",
        parents=[connection],
    )
    batch.add_argument("inputs", nargs="*", metavar="INPUT", help="files, folders and globs")
    batch.add_argument("--manifest", metavar="FILE", help="paths to add: one per line, or CSV/JSONL with `path`")
    batch.add_argument("--model", required=True, metavar="NAME", help="e.g. recognize_anything/my_model")
    batch.add_argument("--output", required=True, metavar="FILE", help="the results: FILE.parquet or FILE.jsonl")
    batch.add_argument("--ledger", metavar="PATH", help="the job's SQLite ledger (default: FILE.ledger)")
    batch.add_argument("--fps", type=positive_int, default=1, metavar="N", help="video frames per second (default 1)")
    batch.add_argument(
        "--concurrency", type=positive_int, default=16, metavar="N", help="the most predictions in flight (default 16)"
    )
    batch.add_argument("--timeout", type=positive_float, metavar="S", help="give up on a prediction after S seconds")
    batch.add_argument("--json", action="store_true", help="print a JSON summary on stdout at the end")
    batch.add_argument("--retry-failed", action="store_true", help="predict again the media earlier runs failed")


def _add_connection_options(parser: argparse.ArgumentParser, default: object = None) -> None:
    parser.add_argument("--api-key", metavar="KEY", default=default, help=f"API key (default: ${API_KEY_ENV})")
    parser.add_argument(
        "--base-url",
        metavar="URL",
        default=default,
        help=f"API base URL (default: ${BASE_URL_ENV}, else the hosted API)",
    )
