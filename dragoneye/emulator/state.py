"""Prediction tasks and their state machine.

    awaiting_upload --upload--> uploaded --predict--> predicting --delay--> predicted
                                                                    \\----> failed_prediction

States advance lazily: a task is `predicting` until its delay has passed and
its results are built, then reads as `predicted` (or `failed_prediction`).
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import Future

import attrs

from .._wire import PREDICTED_STATUS
from .model_name import ModelOptions
from .tracks import PredictionType

AWAITING_UPLOAD = "awaiting_upload"
UPLOADED = "uploaded"
PREDICTING = "predicting"
PREDICTED = PREDICTED_STATUS
FAILED_PREDICTION = "failed_prediction"


class TaskStateError(Exception):
    """A task cannot do what was asked in its current state."""


@attrs.define
class Upload:
    """What the emulator keeps of an upload: never the bytes, only their digest and size."""

    sha256: bytes
    size: int


@attrs.define
class Task:
    """One prediction task."""

    uuid: str
    prediction_type: PredictionType
    mimetype: str
    blob_path: str
    file_name: str | None = None
    frames_per_second: int | None = None
    upload: Upload | None = None
    model_name: str | None = None
    options: ModelOptions | None = None
    will_fail: bool = False
    ready_at: float | None = None
    """Monotonic time at which the processing delay is over (set by predict)."""
    archive: Future[bytes] | None = None
    """The results archive being built, or built (set by predict)."""
    _failed: bool = attrs.field(default=False, init=False, repr=False)

    @property
    def status(self) -> str:
        """The task's state now."""
        if self.ready_at is None:
            return UPLOADED if self.upload is not None else AWAITING_UPLOAD
        if self._failed:
            return FAILED_PREDICTION
        if time.monotonic() < self.ready_at:
            return PREDICTING
        if self.will_fail:
            return FAILED_PREDICTION
        if self.archive is None or not self.archive.done():
            return PREDICTING
        if self.archive.exception() is not None:
            self._failed = True
            return FAILED_PREDICTION
        return PREDICTED

    @property
    def started(self) -> bool:
        """True once predict was called."""
        return self.ready_at is not None

    def record_upload(self, upload: Upload) -> None:
        """Store (or replace) the uploaded media; only before the prediction started."""
        if self.started:
            raise TaskStateError("the prediction of this task has started: its media can no longer change")
        self.upload = upload

    def start(self, model_name: str, options: ModelOptions, *, delay: float, fail: bool) -> None:
        """Move to `predicting`; the caller then attaches the results being built."""
        if self.upload is None:
            raise TaskStateError("the media of this task has not been uploaded yet")
        if self.started:
            raise TaskStateError("the prediction of this task has already started")
        self.model_name = model_name
        self.options = options
        self.will_fail = fail
        self.ready_at = time.monotonic() + delay


class TaskStore:
    """Every task of one emulator, by uuid and by blob path."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tasks: dict[str, Task] = {}
        self._by_blob: dict[str, Task] = {}

    def create(
        self, prediction_type: PredictionType, mimetype: str, file_name: str | None, frames_per_second: int | None
    ) -> Task:
        """A new task, awaiting its upload."""
        task_uuid = str(uuid.uuid4())
        task = Task(
            uuid=task_uuid,
            prediction_type=prediction_type,
            mimetype=mimetype,
            blob_path=f"prediction-tasks/{task_uuid}/media",
            file_name=file_name,
            frames_per_second=frames_per_second,
        )
        with self._lock:
            self._tasks[task_uuid] = task
            self._by_blob[task.blob_path] = task
        return task

    def get(self, task_uuid: str) -> Task | None:
        """The task with this uuid, if any."""
        with self._lock:
            return self._tasks.get(task_uuid)

    def by_blob_path(self, blob_path: str) -> Task | None:
        """The task whose media is stored at `blob_path`, if any."""
        with self._lock:
            return self._by_blob.get(blob_path)

    def __len__(self) -> int:
        with self._lock:
            return len(self._tasks)
