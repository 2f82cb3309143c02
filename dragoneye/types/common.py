"""Type aliases shared by the public types."""

from __future__ import annotations

from ..models import NormalizedBbox, PredictionType

__all__ = ["BASE_API_URL", "NormalizedBbox", "PredictionType"]

BASE_API_URL = "https://api.dragoneye.ai"
