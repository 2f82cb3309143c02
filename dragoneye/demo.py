"""`python -m dragoneye.demo` (`make demo`): the CLI against a local emulator.

Starts the emulator on a free loopback port with the samples' fixtures (known
answers describing what is in them), runs `dragoneye predict` on the bundled
sample image and video with `--draw`, with the emulator's key in the
environment, and stops the emulator. No API key or network needed.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from ._constants import API_KEY_ENV, BASE_URL_ENV
from .cli import main as cli_main
from .samples import SAMPLE_FIXTURES, SAMPLE_IMAGE, SAMPLE_VIDEO

MODEL = "recognize_anything/demo"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo; returns the CLI's exit status."""
    parser = argparse.ArgumentParser(prog="python -m dragoneye.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", default="demo-output", help="where pictures go (default: ./demo-output)")
    args = parser.parse_args(argv)
    try:
        from .emulator import Emulator, EmulatorConfig
        from .emulator.fixtures import load_fixtures
    except ImportError as exc:
        print(f'dragoneye demo: the emulator needs its extras: pip install "dragoneye-python[emulator]" ({exc})')
        return 2
    started = time.monotonic()
    command = [
        *("predict", _shown(SAMPLE_IMAGE), _shown(SAMPLE_VIDEO)),
        *("--model", MODEL, "--fps", "2", "--draw", args.output_dir),
    ]
    with Emulator(EmulatorConfig(fixtures=load_fixtures(SAMPLE_FIXTURES))) as emulator:
        print(f"Started the Dragoneye emulator at {emulator.base_url} (local; no API key or network needed).")
        print("The predictions below come from the emulator's fixtures for the two samples, not from a real model.")
        print(f"The CLI reads the emulator's URL and key from ${BASE_URL_ENV} and ${API_KEY_ENV}.\n")
        print(f"$ dragoneye {shlex.join(command)}\n", flush=True)
        with _environment({BASE_URL_ENV: emulator.base_url, API_KEY_ENV: emulator.api_key}):
            status = cli_main(command)
    print(f"\nStopped the emulator. The demo took {time.monotonic() - started:.1f}s.")
    if status == 0:
        print(f"Open the pictures in {_shown(Path(args.output_dir))}{os.sep}, or try `dragoneye --help`.")
    return status


def _shown(path: Path) -> str:
    """`path` relative to the working directory where it is inside it, else absolute."""
    absolute = path.resolve()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


if __name__ == "__main__":
    sys.exit(main())
