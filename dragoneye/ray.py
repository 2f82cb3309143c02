"""Predictions as a Ray Data stage: a callable class for `Dataset.map_batches`.

    import ray
    from dragoneye.ray import DragoneyePredictor

    images = ray.data.read_binary_files("s3://bucket/photos/", include_paths=True)
    results = images.map_batches(
        DragoneyePredictor,
        fn_constructor_kwargs={"model_name": "recognize_anything/my_model", "in_flight": 16},
        concurrency=4,  # actors
        batch_size=64,
        batch_format="pyarrow",
    )
    results.write_parquet("s3://bucket/predictions/")

Each actor holds one AsyncDragoneye on an event loop of its own and keeps up
to `in_flight` predictions going inside itself, adapting to 429 and 503 like a
batch job (dragoneye.batch). It returns the rows of the batch output schema
(`dragoneye.batch.batch_schema()`: the `to_arrow()` columns plus `status` and
`error`), so one bad media gives one error row instead of failing the dataset.
Ray is not imported here: the stage is plain Python that Ray calls.
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._async._adaptive import AdaptiveLimit
from ._async._client import AsyncDragoneye
from ._constants import DEFAULT_FRAMES_PER_SECOND, DEFAULT_MAX_BACKOFF_TIME, DEFAULT_MAX_RETRIES
from .batch._items import PredictionResponse
from .batch._output import batch_schema, result_rows
from .types.exception import DragoneyeError
from .types.media import Image, Video

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["DragoneyePredictor"]


class DragoneyePredictor:
    """A `map_batches` stage: a batch of media in, their prediction rows out.

    Args:
        model_name: The model every media is predicted with.
        api_key, base_api_url: As for AsyncDragoneye; by default the workers'
            DRAGONEYE_API_KEY and DRAGONEYE_BASE_URL.
        in_flight: The most predictions this actor keeps going at once (it
            halves on 429 and 503 and grows back, as a batch job does).
        frames_per_second: The sampling rate of videos.
        timeout_seconds: Bounds each prediction (None: no bound).
        max_retries, max_backoff_time: As for AsyncDragoneye.
        bytes_column: The column of encoded media (`read_binary_files` calls it "bytes");
            when the batch has none, each media is read from `path_column`.
        path_column: The media's path or URI (any pyarrow filesystem's), also its name in the rows.
    """

    def __init__(
        self,
        model_name: str,
        *,
        api_key: str | None = None,
        base_api_url: str | None = None,
        in_flight: int = 16,
        frames_per_second: int = DEFAULT_FRAMES_PER_SECOND,
        timeout_seconds: float | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_backoff_time: float = DEFAULT_MAX_BACKOFF_TIME,
        bytes_column: str = "bytes",
        path_column: str = "path",
    ) -> None:
        from anyio.from_thread import start_blocking_portal

        if not isinstance(model_name, str) or not model_name.strip():
            raise ValueError(f"model_name must be a non-empty string; got {model_name!r}")
        self._model_name = model_name
        self._fps = frames_per_second
        self._timeout = timeout_seconds
        self._bytes_column = bytes_column
        self._path_column = path_column
        self._limit = AdaptiveLimit(in_flight)
        # One event loop per actor, on a thread of its own: the client's
        # connections belong to it, and every batch runs there.
        self._portal_context = start_blocking_portal("asyncio")
        self._portal = self._portal_context.__enter__()
        self._client = AsyncDragoneye(
            api_key=api_key, base_api_url=base_api_url, max_retries=max_retries, max_backoff_time=max_backoff_time
        )
        self._limit.attach(self._client)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model_name={self._model_name!r}, in_flight={self._limit.ceiling})"

    def __call__(self, batch: pa.Table | dict[str, Any]) -> pa.Table:
        """Predict every media of `batch`; one row set per media, in the batch's order."""
        import pyarrow as pa

        table = batch if isinstance(batch, pa.Table) else pa.table(batch)
        if self._path_column not in table.column_names:
            raise ValueError(f"the batch has no {self._path_column!r} column; it has {table.column_names}")
        paths = [str(path) for path in table.column(self._path_column).to_pylist()]
        payloads = (
            table.column(self._bytes_column).to_pylist()
            if self._bytes_column in table.column_names
            else [None] * len(paths)
        )
        row_sets: list[pa.Table] = self._portal.call(self._predict_all, paths, payloads)
        return pa.concat_tables(row_sets) if row_sets else batch_schema().empty_table()

    def close(self) -> None:
        """Close the client and stop the actor's event loop."""
        if self._portal_context is not None:
            self._limit.detach(self._client)
            self._portal.call(self._client.aclose)
            self._portal_context.__exit__(None, None, None)
            self._portal_context = None  # type: ignore[assignment]

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # at interpreter shutdown there is no one to tell
            self.close()

    async def _predict_all(self, paths: list[str], payloads: list[bytes | None]) -> list[pa.Table]:
        import anyio

        rows: list[pa.Table | None] = [None] * len(paths)

        async def predict(index: int) -> None:
            async with self._limit.slot():
                rows[index] = await self._rows(paths[index], payloads[index])

        async with anyio.create_task_group() as group:
            for index in range(len(paths)):
                group.start_soon(predict, index)
        return [row_set for row_set in rows if row_set is not None]

    async def _rows(self, path: str, payload: bytes | None) -> pa.Table:
        """One media's rows: its objects, or one row with the error."""
        import anyio.to_thread

        response: PredictionResponse | None = None
        error: str | None = None
        try:
            data = payload if payload is not None else await anyio.to_thread.run_sync(_read, path)
            media = _media(path, data)
            classification = self._client.classification
            if isinstance(media, Video):
                response = await classification.predict_video(media, self._model_name, self._fps, self._timeout)
            else:
                response = await classification.predict_image(media, self._model_name, self._timeout)
        except (DragoneyeError, ValueError, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        uuid = response.prediction_task_uuid if response is not None else None
        return result_rows(response, path, uuid, error)


def _media(path: str, data: bytes) -> Image | Video:
    mime_type = mimetypes.guess_type(path)[0] or ""
    if mime_type.startswith("video/"):
        return Video.from_bytes(data, mime_type=mime_type, name=os.path.basename(path))
    if mime_type.startswith("image/"):
        return Image.from_bytes(data, mime_type=mime_type, name=os.path.basename(path))
    raise ValueError(f"cannot tell whether {path!r} is an image or a video from its extension")


def _read(path: str) -> bytes:
    """A local file's bytes, or a URI's through pyarrow's filesystems (s3://, gs://, hdfs://...)."""
    if "://" not in path:
        return Path(path).read_bytes()
    import pyarrow.fs

    try:
        filesystem, inner = pyarrow.fs.FileSystem.from_uri(path)
        with filesystem.open_input_stream(inner) as stream:
            return bytes(stream.read())
    except (pyarrow.ArrowException, ValueError) as exc:
        raise OSError(f"cannot read {path}: {exc}") from exc
