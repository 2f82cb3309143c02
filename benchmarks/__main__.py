"""`python -m benchmarks`: this SDK against the official client, on one emulator.

    DRAGONEYE_OFFICIAL_PYTHON=.venv-official/bin/python python -m benchmarks [--only NAME ...] [--strict] [--profile]

Prints the table (scenario, ours, official, ratio, target, met?) and writes
benchmarks/results.json with every raw figure. Where a target is missed, the
scenario is profiled and the profile is printed and recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .emulator_process import EmulatorProcess
from .harness import HERE, Bench, Row, clean_env
from .scenarios import SCENARIOS

OFFICIAL_ENV = "DRAGONEYE_OFFICIAL_PYTHON"
RESULTS = HERE / "results.json"


def official_python() -> str:
    """The official client's interpreter from the environment, checked; exits with a clear message if unusable."""
    python = os.environ.get(OFFICIAL_ENV)
    if not python:
        sys.exit(
            f"error: {OFFICIAL_ENV} is not set. It must name the python of a venv with the official client"
            " (dragoneye-python 2.0.1): run `make bench`, or `make official` and then"
            f" {OFFICIAL_ENV}=$PWD/.venv-official/bin/python python -m benchmarks"
        )
    if not Path(python).is_file():
        sys.exit(f"error: {OFFICIAL_ENV}={python} is not a file (run `make official`)")
    check = subprocess.run(
        [python, "-I", "-c", "import dragoneye.parquet_deserializer"],
        cwd=tempfile.gettempdir(),
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode != 0:
        sys.exit(f"error: {python} cannot import the official client:\n{check.stderr.strip()}")
    return python


def format_value(value: float, unit: str) -> str:
    """A figure with its unit, at a precision that fits it."""
    if unit == "":
        return f"{value:g}"
    if unit == "s":
        return f"{value:.3f} s"
    return f"{value:.1f} {unit}"


def table(rows: list[Row]) -> str:
    """The results as a plain-text table."""
    header = ("scenario", "ours", "official", "ratio", "target", "met?")
    lines = [
        (
            row.scenario,
            format_value(row.ours, row.unit),
            format_value(row.official, row.unit),
            f"{row.ratio:.3f}",
            row.target,
            "yes" if row.met else "NO",
        )
        for row in rows
    ]
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]

    def render(cells: tuple[str, ...]) -> str:
        return " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([render(header), rule, *(render(cells) for cells in lines)])


def latency_curve(rows: list[Row]) -> str:
    """Median latency and status calls per prediction at each server time, ours against official."""
    lines = ["server s | ours s | official s | ours status calls | official status calls"]
    for row in rows:
        if row.key.startswith("latency_"):
            details = row.details
            lines.append(
                f"{details['server_seconds']:8} | {row.ours:6.3f} | {row.official:10.3f} |"
                f" {details['ours_status_calls_per_prediction']:17.1f} |"
                f" {details['official_status_calls_per_prediction']:21.1f}"
            )
    return "\n".join(lines) if len(lines) > 1 else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", action="append", choices=sorted(SCENARIOS), help="run only this scenario (repeatable)"
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"where to write the JSON (default {RESULTS})")
    parser.add_argument("--strict", action="store_true", help="exit with 1 when a target is missed")
    parser.add_argument("--profile", action="store_true", help="profile every scenario, not only missed targets")
    args = parser.parse_args(argv)
    official = official_python()
    names = args.only or list(SCENARIOS)

    started = time.perf_counter()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="dragoneye-bench-") as workdir, EmulatorProcess() as emulator:
        bench = Bench(emulator, official, Path(workdir), profile_all=args.profile)
        print(f"emulator: {emulator.base_url} (own process); official client: {official}", flush=True)
        for name in names:
            print(f"running {name}...", flush=True)
            scenario_start = time.perf_counter()
            produced = SCENARIOS[name](bench)
            produced = [produced] if isinstance(produced, Row) else list(produced)
            produced[0].details["scenario_seconds"] = time.perf_counter() - scenario_start
            rows.extend(produced)
    elapsed = time.perf_counter() - started

    print()
    print(table(rows))
    print()
    print(latency_curve(rows))
    for row in rows:
        if row.why:
            print(f"\n{'profile' if row.met else 'missed'}: {row.scenario}\n{row.why}")
    print(f"\n{sum(row.met for row in rows)} of {len(rows)} targets met in {elapsed:.0f} s; figures in {args.output}")

    args.output.write_text(
        json.dumps(
            {
                "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
                "official_python": official,
                "seconds": elapsed,
                "all_met": all(row.met for row in rows),
                "rows": [row.as_json() for row in rows],
            },
            indent=2,
        )
        + "\n"
    )
    return 1 if args.strict and not all(row.met for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
