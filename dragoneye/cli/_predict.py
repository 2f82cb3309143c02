"""`dragoneye predict`: load the files, predict them, print and draw the results."""

from __future__ import annotations

import argparse
import mimetypes
import os
import sys
from pathlib import Path
from typing import TextIO

import anyio

from .._async import AsyncDragoneye
from .._sync import Dragoneye
from ..batch import BatchResult, PredictionResponse, predict_many
from ..models import ClassificationPredictImageResponse
from ..types.media import Video
from . import _draw
from ._common import EXIT_FAILURE, EXIT_OK, UsageError, describe, error_line, make_client, secrets
from ._output import failure_json_line, format_image, format_video, to_json_line
from ._progress import DONE, FAILED, Progress, TrackedImage, TrackedVideo

Tracked = TrackedImage | TrackedVideo


def run_predict(args: argparse.Namespace) -> int:
    """Predict every FILE; 0 if all succeeded, 1 if any failed."""
    paths = [Path(file) for file in args.files]
    media = [load_media(path, args.mime_type) for path in paths]
    targets: list[Path | None] = [None] * len(media)
    if args.draw:
        targets = drawing_targets(args.draw, paths, media, overwrite=args.overwrite)
        _draw.require_pillow()
    progress = Progress(sys.stderr, enabled=not args.json and _is_terminal(sys.stderr))
    for item in media:
        item.watch(progress, progress.add(item.name or "media", item.size()))
    report = _Report(args, paths, targets, progress)
    if args.concurrency > 1 and len(media) > 1:
        client = make_client(AsyncDragoneye, args)
        with progress, progress.showing_retries():
            anyio.run(_predict_concurrently, client, media, args, report)
    else:
        with make_client(Dragoneye, args) as blocking, progress, progress.showing_retries():
            for index, item in enumerate(media):
                report(index, _predict_blocking(blocking, item, args))
    return EXIT_FAILURE if report.failures else EXIT_OK


def load_media(path: Path, mime_type: str | None) -> Tracked:
    """The file as a (progress-tracked) Image or Video; UsageError if it cannot be."""
    if not path.exists():
        raise UsageError(f"no such file: {path}")
    if path.is_dir():
        raise UsageError(f"{path} is a directory, not a file")
    if not os.access(path, os.R_OK):
        raise UsageError(f"cannot read {path}: permission denied")
    if path.stat().st_size == 0:
        raise UsageError(f"{path} is empty")
    mime = mime_type or mimetypes.guess_type(path.name)[0]
    if mime is None:
        raise UsageError(f"cannot tell whether {path} is an image or a video from its extension; pass --mime-type")
    if mime.startswith("image/"):
        return TrackedImage.from_path(path, mime_type=mime)
    if mime.startswith("video/"):
        return TrackedVideo.from_path(path, mime_type=mime)
    raise UsageError(f"{path} has MIME type {mime!r}, neither image/* nor video/*; pass --mime-type")


def drawing_targets(out: str, paths: list[Path], media: list[Tracked], *, overwrite: bool = False) -> list[Path | None]:
    """Where --draw OUT puts each file's picture.

    OUT is the file itself for a single input given with an extension; otherwise
    a directory holding `<stem>-annotated.<ext>` per image, `<stem>-timeline.png` per video.
    UsageError if a picture would replace an input, or an existing file without `overwrite`.
    """
    target = Path(out)
    single_file = len(paths) == 1 and target.suffix and not target.is_dir() and not out.endswith(("/", os.sep))
    if single_file:
        _check_picture_suffix(target)
        return _checked_targets([target], paths, overwrite)
    targets: list[Path | None] = []
    for path, item in zip(paths, media, strict=True):
        if isinstance(item, Video):
            name = f"{path.stem}-timeline.png"
        else:
            suffix = path.suffix.lower() if path.suffix.lower() in (".jpg", ".jpeg", ".png") else ".png"
            name = f"{path.stem}-annotated{suffix}"
        candidate, number = target / name, 2
        while candidate in targets:
            candidate, number = target / f"{Path(name).stem}-{number}{Path(name).suffix}", number + 1
        targets.append(candidate)
    return _checked_targets(targets, paths, overwrite)


def _checked_targets(targets: list[Path | None], paths: list[Path], overwrite: bool) -> list[Path | None]:
    inputs = {path.resolve() for path in paths}
    for target in targets:
        if target is None:
            continue
        if target.resolve() in inputs:
            raise UsageError(f"--draw would write over the input {target}; choose another OUT")
        if target.exists() and not overwrite:
            raise UsageError(f"--draw would replace {target}, which exists; pass --overwrite to allow it")
    return targets


def _check_picture_suffix(target: Path) -> None:
    if target.suffix.lower() not in (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff"):
        raise UsageError(f"--draw {target}: use a picture extension such as .png or .jpg")


def _predict_blocking(client: Dragoneye, item: Tracked, args: argparse.Namespace) -> BatchResult:
    try:
        result: PredictionResponse
        if isinstance(item, TrackedVideo):
            result = client.classification.predict_video(
                item, args.model, frames_per_second=args.fps, timeout_seconds=args.timeout
            )
        else:
            result = client.classification.predict_image(item, args.model, timeout_seconds=args.timeout)
    except Exception as exc:
        return BatchResult(media=item, error=exc)
    return BatchResult(media=item, result=result)


async def _predict_concurrently(
    client: AsyncDragoneye, media: list[Tracked], args: argparse.Namespace, report: _Report
) -> None:
    async with client:
        await predict_many(
            client,
            media,
            args.model,
            concurrency=args.concurrency,
            frames_per_second=args.fps,
            timeout_seconds=args.timeout,
            on_result=report,
        )


class _Report:
    """Prints each outcome as it is known, in input order, and draws its picture."""

    def __init__(
        self, args: argparse.Namespace, paths: list[Path], targets: list[Path | None], progress: Progress
    ) -> None:
        self._args = args
        self._paths = paths
        self._targets = targets
        self._progress = progress
        self._ready: dict[int, BatchResult] = {}
        self._next = 0
        self.failures = 0

    def __call__(self, index: int, outcome: BatchResult) -> None:
        self._progress.update(index, phase=DONE if outcome.ok else FAILED)
        self._ready[index] = outcome
        while self._next in self._ready:
            with self._progress.paused():
                self._emit(self._next, self._ready.pop(self._next))
            self._next += 1

    def _emit(self, index: int, outcome: BatchResult) -> None:
        path = self._paths[index]
        out = sys.stdout
        if outcome.result is None:
            error = outcome.error or RuntimeError("no result")
            if self._args.json:
                print(failure_json_line(str(path), error, secrets(self._args)), file=out, flush=True)
            self._fail(f"{path}: {describe(error)}")
            return
        if self._args.json:
            print(to_json_line(outcome.result), file=out, flush=True)
        else:
            if index:
                print(file=out)
            print(_readable(outcome.result, path.name), file=out, flush=True)
        target = self._targets[index]
        if target is not None:
            self._draw(path, outcome.result, target, sys.stderr if self._args.json else out)

    def _draw(self, path: Path, result: PredictionResponse, target: Path, out: TextIO) -> None:
        try:
            if isinstance(result, ClassificationPredictImageResponse):
                written = _draw.annotate_image(path, result, target)
                kind = "annotated image"
            else:
                written = _draw.draw_timeline(result, target, f"{path.name}: tracked objects over time")
                kind = "timeline chart"
        except (OSError, ValueError) as exc:
            self._fail(f"cannot draw {path}: {describe(exc)}")
            return
        print(f"{kind}: {written}", file=out, flush=True)

    def _fail(self, message: str) -> None:
        self.failures += 1
        error_line(message, secrets(self._args))


def _readable(result: PredictionResponse, label: str) -> str:
    if isinstance(result, ClassificationPredictImageResponse):
        return format_image(result, label)
    return format_video(result, label)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
