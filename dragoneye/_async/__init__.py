"""The async facade, written by hand."""

from ._classification import AsyncClassification
from ._client import AsyncDragoneye

__all__ = ["AsyncClassification", "AsyncDragoneye"]
