"""Small sample media shipped with the SDK, for the demo and for trying the CLI.

- `sample.jpg`: a 640x400 JPEG of a street scene (a house, a garage, a car, a tree).
- `sample.mp4`: 4 s of the same scene at 320x200, H.264, with the car driving past.

Both were drawn with Pillow (the video encoded once with ffmpeg); nothing here
needs either at runtime.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["SAMPLE_IMAGE", "SAMPLE_VIDEO"]

_HERE = Path(__file__).resolve().parent

SAMPLE_IMAGE = _HERE / "sample.jpg"
"""A small real JPEG (image/jpeg)."""

SAMPLE_VIDEO = _HERE / "sample.mp4"
"""A small real MP4 (video/mp4)."""
