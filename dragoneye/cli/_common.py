"""What the CLI commands share: exit codes, error lines, client settings."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from .._constants import API_KEY_ENV
from ..types.exception import MissingAPIKeyError
from ._escape import printable

if TYPE_CHECKING:
    from .._async import AsyncDragoneye
    from .._sync import Dragoneye

C = TypeVar("C", "Dragoneye", "AsyncDragoneye")

PROG = "dragoneye"

EXIT_OK = 0
EXIT_FAILURE = 1
"""A request or prediction failed."""
EXIT_USAGE = 2
"""Bad arguments or setup: nothing was sent (argparse's own code)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C, as shells report SIGINT."""


class UsageError(Exception):
    """A problem with the command line or setup, found before anything is sent."""


def make_client(cls: type[C], args: Any) -> C:
    """`Dragoneye` or `AsyncDragoneye` configured by the global flags and the
    environment; UsageError when the key is missing or the URL malformed."""
    try:
        return cls(api_key=args.api_key, base_api_url=args.base_url)
    except MissingAPIKeyError:
        raise UsageError(f"no API key: pass --api-key or set the {API_KEY_ENV} environment variable") from None
    except ValueError as exc:
        raise UsageError(describe(exc)) from None


def secrets(args: Any) -> list[str]:
    """Values that must never be printed: the API key, from the flag or the environment."""
    values = [getattr(args, "api_key", None), os.environ.get(API_KEY_ENV)]
    return [value for value in values if value]


def error_line(message: str, hidden: list[str], stream: TextIO | None = None) -> None:
    """Print `dragoneye: error: message` as one line, with any secret masked."""
    for secret in hidden:
        message = message.replace(secret, "***")
    text = printable(" ".join(message.split())) or "unknown error"
    print(f"{PROG}: error: {text}", file=stream if stream is not None else sys.stderr)


def describe(exc: BaseException) -> str:
    """An exception as a message: its text, or its type when it has none."""
    text = str(exc)
    if isinstance(exc, OSError) and exc.strerror and exc.filename is not None:
        text = f"{exc.strerror}: {exc.filename!s}"
    return text or type(exc).__name__
