"""Type aliases shared by the public types."""

from __future__ import annotations

from typing import Literal, TypeAlias

__all__ = ["BASE_API_URL", "NormalizedBbox", "PredictionType"]

NormalizedBbox: TypeAlias = tuple[float, float, float, float]
"""(x1, y1, x2, y2), each in [0, 1]."""

PredictionType: TypeAlias = Literal["image", "video"]

BASE_API_URL = "https://api.dragoneye.ai"
