"""`dragoneye status` and `dragoneye results`: look up a prediction task."""

from __future__ import annotations

import argparse

from .._sync import Dragoneye
from ._common import EXIT_OK, make_client
from ._output import format_image, format_status, format_video, to_json_line


def run_status(args: argparse.Namespace) -> int:
    """Print a task's status."""
    with make_client(Dragoneye, args) as client:
        status = client.classification.status(args.uuid)
    print(to_json_line(status) if args.json else format_status(status))
    return EXIT_OK


def run_results(args: argparse.Namespace) -> int:
    """Print a finished task's results; the task's type comes from its status unless --type gives it."""
    with make_client(Dragoneye, args) as client:
        kind = str(client.classification.status(args.uuid).prediction_type)
        if args.type is not None and args.type != kind:
            raise WrongTypeError(
                f"task {args.uuid} is {_article(kind)} {kind} prediction, not {_article(args.type)} {args.type} one:"
                f" pass --type {kind}, or leave --type out"
            )
        if kind == "image":
            image = client.classification.get_image_results(args.uuid)
            print(to_json_line(image) if args.json else format_image(image))
        else:
            video = client.classification.get_video_results(args.uuid)
            print(to_json_line(video) if args.json else format_video(video))
    return EXIT_OK


class WrongTypeError(ValueError):
    """`--type` names the other kind of task than the one asked about."""


def _article(kind: str) -> str:
    return "an" if kind[:1] in "aeiou" else "a"
