"""What a tracked object's attributes are on each frame, for the rows of `to_arrow()`.

A video row holds the attribute options in effect at its frame, each with the
spans of that option that contain the frame, rather than every span of the
track: a table then grows with its observations, not with observations times
spans (every span on every row made 11,000 observations take 1.1 GB).

The spans of a track cut time into stretches in which no span starts or ends;
every frame in a stretch has the same attributes, so each stretch's value is
built once and its rows share it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._tables import attribute_value

if TYPE_CHECKING:
    from .models import VideoCategoryPrediction

_Held = tuple[tuple[int, int, int], ...]
"""(category index, attribute index, span index) of every span holding in a stretch."""


class FrameStates:
    """The `categories` value of each frame of one track, each distinct value kept once in `values`."""

    def __init__(self, categories: Sequence[VideoCategoryPrediction], values: list[list[dict[str, Any]]]) -> None:
        self._categories = categories
        self._values = values
        self._bounds, self._held = _stretches(categories)
        self._index: dict[int, int] = {}

    def at(self, timestamp_us: int) -> int:
        """The index in `values` of the categories value at `timestamp_us`."""
        stretch = bisect.bisect_right(self._bounds, timestamp_us)
        index = self._index.get(stretch)
        if index is None:
            index = self._index[stretch] = len(self._values)
            self._values.append(self._value(self._held[stretch]))
        return index

    def _value(self, held: _Held) -> list[dict[str, Any]]:
        spans: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
        for category, attribute, span in held:
            spans[category, attribute].append(span)
        return [
            {
                "category_id": category.category_id,
                "name": category.name,
                "score": category.score,
                "attributes": [
                    attribute_value(
                        attribute, score=None, spans=[attribute.timestamp_ranges[span] for span in spans[c, a]]
                    )
                    for a, attribute in enumerate(category.attributes)
                    if (c, a) in spans
                ],
            }
            for c, category in enumerate(self._categories)
        ]


def _stretches(categories: Sequence[VideoCategoryPrediction]) -> tuple[list[int], list[_Held]]:
    """The times at which a span starts or ends (one past its inclusive end), and
    the spans holding before the first of them and from each onwards."""
    edges: defaultdict[int, list[tuple[bool, tuple[int, int, int]]]] = defaultdict(list)
    for c, category in enumerate(categories):
        for a, attribute in enumerate(category.attributes):
            for s, span in enumerate(attribute.timestamp_ranges):
                start, end = span.timestamp_start_us_inclusive, span.timestamp_end_us_inclusive
                if start <= end:  # an inverted span holds at no frame
                    edges[start].append((True, (c, a, s)))
                    edges[end + 1].append((False, (c, a, s)))
    bounds = sorted(edges)
    active: set[tuple[int, int, int]] = set()
    held: list[_Held] = [()]
    for bound in bounds:
        for opens, key in edges[bound]:
            if opens:
                active.add(key)
            else:
                active.discard(key)
        held.append(tuple(sorted(active)))
    return bounds, held
