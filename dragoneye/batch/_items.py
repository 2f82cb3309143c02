"""What a batch job yields per media, and what it sums up at the end."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

import attrs

from ..models import ClassificationPredictImageResponse, ClassificationPredictVideoResponse
from ..types.media import Image, Video

if TYPE_CHECKING:
    import pyarrow as pa

PredictionResponse: TypeAlias = ClassificationPredictImageResponse | ClassificationPredictVideoResponse
"""What one prediction returns: the image or the video response."""


@attrs.frozen(kw_only=True)
class BatchItem:
    """One media finished by a BatchJob: `result` on success, else `error` (a message).

    `rows` are the media's rows in the batch output (the `to_arrow()` schema
    plus `status` and `error`).
    """

    name: str
    media: Image | Video
    result: PredictionResponse | None
    error: str | None
    rows: pa.Table

    @property
    def ok(self) -> bool:
        """Whether the prediction succeeded."""
        return self.error is None


@attrs.define(kw_only=True)
class BatchSummary:
    """Counts of one run of a BatchJob.

    `skipped`: media finished by an earlier run; `begun_again`: tasks begun a
    second time because a begin was in flight when an earlier run was killed;
    `throttled`: 429 and 503 answers the job backed off on; `recovered`: failed
    media retried whose earlier task had finished, so no new task was begun.
    """

    done: int = 0
    failed: int = 0
    skipped: int = 0
    begun_again: int = 0
    throttled: int = 0
    recovered: int = 0
    concurrency: int = 0
    """The concurrency the job had adapted to when it ended."""
    elapsed_seconds: float = 0.0

    def to_dict(self) -> dict[str, int | float]:
        """The counts as JSON-ready data."""
        return attrs.asdict(self)
