"""Many predictions at once.

- `BatchJob` (async) and `BlockingBatchJob`: large jobs with a SQLite ledger
  that survives a crash, adaptive concurrency, and a Parquet or JSON Lines
  output in the `to_arrow()` schema.
- `predict_many` (async) and `predict_many_blocking`: small in-memory lists,
  results in input order.
"""

from .._async._batch_job import BatchJob, MediaSource
from .._sync._batch_job import BlockingBatchJob
from ._items import BatchItem, BatchSummary, PredictionResponse
from ._ledger import LedgerError
from ._many import BatchResult, OnResult, predict_many, predict_many_blocking
from ._output import batch_schema

__all__ = [
    "BatchItem",
    "BatchJob",
    "BatchResult",
    "BatchSummary",
    "BlockingBatchJob",
    "LedgerError",
    "MediaSource",
    "OnResult",
    "PredictionResponse",
    "batch_schema",
    "predict_many",
    "predict_many_blocking",
]
