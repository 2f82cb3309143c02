"""`dragoneye batch`: a resumable job over files, folders, globs or a manifest.

Progress goes to stderr: a tqdm bar on a terminal (tqdm is small, has no
dependencies and is imported only here), otherwise one plain line every
`PLAIN_INTERVAL` seconds, so logs of overnight runs stay readable.
"""

from __future__ import annotations

import argparse
import csv
import functools
import glob
import json
import mimetypes
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import anyio

from .._async import AsyncDragoneye
from ..batch import BatchItem, BatchJob, BatchSummary
from ..batch._output import check_output_path
from ._common import EXIT_FAILURE, EXIT_OK, UsageError, make_client

PLAIN_INTERVAL = 10.0
_MEDIA_FAMILIES = ("image/", "video/")


def run_batch(args: argparse.Namespace) -> int:
    """Run (or resume) the job; 0 when every media is done, 1 when some failed."""
    try:
        output = check_output_path(args.output)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    ledger = Path(args.ledger) if args.ledger else output.with_name(output.name + ".ledger")
    paths = collect_inputs(args.inputs, args.manifest)
    if not paths:
        raise UsageError("no images or videos found in the inputs")
    client = make_client(AsyncDragoneye, args)
    progress = _progress(len(paths), sys.stderr)
    summary, counts = anyio.run(
        functools.partial(_run, client, args, paths, output=output, ledger=ledger, progress=progress)
    )
    progress.close(summary)
    if args.json:
        print(json.dumps({**summary.to_dict(), "total": len(paths), "ledger": counts, "output": str(output)}))
    return EXIT_FAILURE if counts["failed"] else EXIT_OK


async def _run(
    client: AsyncDragoneye,
    args: argparse.Namespace,
    paths: list[str],
    *,
    output: Path,
    ledger: Path,
    progress: _Plain | _Bar,
) -> tuple[BatchSummary, dict[str, int]]:
    async with client:
        job = BatchJob(
            client,
            args.model,
            ledger=ledger,
            output=output,
            concurrency=args.concurrency,
            frames_per_second=args.fps,
            timeout_seconds=args.timeout,
            retry_failed=args.retry_failed,
        )
        async with job:
            async for item in job.run(paths):
                progress.update(item, job.summary)
            counts = job.ledger_counts()
    return job.summary, counts


def collect_inputs(inputs: list[str], manifest: str | None) -> list[str]:
    """Files, folders (recursed) and globs, then the manifest's paths; each once, in order."""
    found: dict[str, None] = {}
    for text in inputs:
        for path in _expand(text):
            found.setdefault(path, None)
    if manifest:
        for text in read_manifest(Path(manifest)):
            if not Path(text).is_file():
                raise UsageError(f"{manifest}: no such file: {text}")
            found.setdefault(text, None)
    return list(found)


def _expand(text: str) -> Iterator[str]:
    path = Path(text)
    if path.is_dir():
        yield from (str(child) for child in sorted(path.rglob("*")) if child.is_file() and _is_media(child))
    elif path.is_file():
        if not _is_media(path):
            raise UsageError(f"{text}: not an image or a video (judged by its extension)")
        yield text
    elif glob.has_magic(text):
        yield from (match for match in sorted(glob.glob(text, recursive=True)) if _is_media(Path(match)))
    else:
        raise UsageError(f"no such file or directory: {text}")


def read_manifest(manifest: Path) -> list[str]:
    """The paths a manifest lists: CSV or JSON Lines with a `path` column, else one per line."""
    try:
        text = manifest.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the manifest {manifest}: {exc}") from None
    if manifest.suffix == ".csv":
        rows = list(csv.DictReader(text.splitlines()))
        if rows and "path" not in rows[0]:
            raise UsageError(f"{manifest}: a CSV manifest needs a `path` column")
        return [row["path"] for row in rows if row.get("path")]
    if manifest.suffix == ".jsonl":
        paths = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                raise UsageError(f"{manifest}:{number}: not JSON") from None
            if not isinstance(record, dict) or not isinstance(record.get("path"), str):
                raise UsageError(f"{manifest}:{number}: needs a string `path`")
            paths.append(record["path"])
        return paths
    return [line.strip() for line in text.splitlines() if line.strip()]


def _is_media(path: Path) -> bool:
    return (mimetypes.guess_type(path.name)[0] or "").startswith(_MEDIA_FAMILIES)


def _progress(total: int, stream: TextIO) -> _Plain | _Bar:
    return _Bar(total, stream) if stream.isatty() else _Plain(total, stream)


class _Plain:
    """One line every PLAIN_INTERVAL seconds, and one at the end."""

    def __init__(self, total: int, stream: TextIO, interval: float = PLAIN_INTERVAL) -> None:
        self.total, self.stream, self.interval = total, stream, interval
        self.started = self.last = time.monotonic()

    def update(self, item: BatchItem, summary: BatchSummary) -> None:
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self._line(summary, now)

    def close(self, summary: BatchSummary) -> None:
        self._line(summary, time.monotonic())

    def _line(self, summary: BatchSummary, now: float) -> None:
        finished = summary.done + summary.failed
        rate = finished / max(now - self.started, 1e-9)
        left = self.total - summary.skipped - finished
        eta = f"{left / rate:.0f} s" if rate > 0 else "?"
        print(
            f"dragoneye batch: {summary.skipped + finished}/{self.total} finished ({summary.done} done,"
            f" {summary.failed} failed, {summary.skipped} from earlier runs), {rate:.1f}/s, ETA {eta},"
            f" concurrency {summary.concurrency}",
            file=self.stream,
            flush=True,
        )


class _Bar:
    """A tqdm bar: done, failed, rate and ETA."""

    def __init__(self, total: int, stream: TextIO) -> None:
        from tqdm import tqdm

        self.bar: Any = tqdm(total=total, file=stream, unit="media", dynamic_ncols=True)
        self.skipped = 0

    def update(self, item: BatchItem, summary: BatchSummary) -> None:
        if summary.skipped != self.skipped:
            self.bar.update(summary.skipped - self.skipped)
            self.skipped = summary.skipped
        self.bar.update(1)
        self.bar.set_postfix(done=summary.done, failed=summary.failed, refresh=False)

    def close(self, summary: BatchSummary) -> None:
        self.bar.close()
