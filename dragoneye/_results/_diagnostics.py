"""Naming what is wrong in a results archive: the error, short descriptions, rows."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from ..types.exception import PredictionTaskResultsUnavailableError as Unavailable

__all__ = ["Unavailable", "describe", "first_null", "row_of", "short"]


def short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def describe(exc: BaseException) -> str:
    """The exception on one short line."""
    return f"{type(exc).__name__}: {short(' '.join(str(exc).split()))}"


def first_null(array: Any) -> int:
    """The index of the first null of a pyarrow array that has one."""
    import pyarrow.compute as pc

    return int(pc.index(array.is_null(), True).as_py())


def row_of(index: int, chain: list[list[int]]) -> int:
    """The row holding flat item `index`, given the offsets of each enclosing list level."""
    for offsets in reversed(chain):
        index = bisect_right(offsets, index) - 1
    return index
