"""Small sample media shipped with the SDK, for the demo and for trying the CLI.

- `sample.jpg`: a 640x400 JPEG of a street scene (a house, a garage, a car, a tree).
- `sample.mp4`: 4 s of the same scene at 320x200, H.264, with the car driving past.

Both were drawn with Pillow (the video encoded once with ffmpeg); nothing here
needs either at runtime.

`fixtures/` holds what is really in them, as emulator fixtures (`<sha256>.json`,
a response's `to_dict()`): the house, the garage, the car and the tree, with
boxes measured on the pictures; in the video the car drives past at 2 fps and
hides the garage's door at 2.5 s (a gap frame). `python -m dragoneye.emulator
--fixtures DIR` or `EmulatorConfig(fixtures=load_fixtures(SAMPLE_FIXTURES))` use them.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["SAMPLE_FIXTURES", "SAMPLE_IMAGE", "SAMPLE_VIDEO"]

_HERE = Path(__file__).resolve().parent

SAMPLE_IMAGE = _HERE / "sample.jpg"
"""A small real JPEG (image/jpeg)."""

SAMPLE_VIDEO = _HERE / "sample.mp4"
"""A small real MP4 (video/mp4)."""

SAMPLE_FIXTURES = _HERE / "fixtures"
"""The emulator fixtures describing the two samples (a directory of `<sha256>.json`)."""
