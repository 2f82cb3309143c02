"""Results as Arrow tables: one row per detected object (images) or per observation (videos).

The schema is stable and documented in README ("Results as tables"):

| column | type | meaning |
|---|---|---|
| media_name | string | the response's `original_file_name` (or the name a batch gave the media) |
| prediction_task_uuid | string | the task |
| object_id | int64 | the object (a track, for videos) |
| timestamp_us | int64 | the observation's frame (videos); null for images |
| top_category_id, top_category, top_score | int64, string, float64 | the highest-scored category |
| x1, y1, x2, y2 | float64 | the normalized box; null on a video's gap frame |
| bbox_score | float64 | the box's score; null on a gap frame |
| categories | list<struct> | every category: category_id, name, score, attributes |

An attribute is a struct of attribute_id, attribute_name, option_id, option_name,
score (images; null for videos) and timestamp_ranges (videos: start, end and
score of each span; null for images), so image and video rows share one schema.
A video row lists the options in effect at its frame, each with its spans that
contain the frame (`_frame_states`).

pyarrow is imported inside the functions so that importing the SDK stays fast.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from .models import (
        ClassificationPredictImageResponse,
        ClassificationPredictVideoResponse,
        ImageCategoryPrediction,
        VideoCategoryPrediction,
    )

__all__ = ["Tabular", "image_table", "results_schema", "table_of", "video_table"]


@functools.cache
def results_schema() -> pa.Schema:
    """The schema of every `to_arrow()` table."""
    import pyarrow as pa

    span = pa.struct(
        [
            ("timestamp_start_us_inclusive", pa.int64()),
            ("timestamp_end_us_inclusive", pa.int64()),
            ("score", pa.float64()),
        ]
    )
    attribute = pa.struct(
        [
            ("attribute_id", pa.int64()),
            ("attribute_name", pa.string()),
            ("option_id", pa.int64()),
            ("option_name", pa.string()),
            ("score", pa.float64()),
            ("timestamp_ranges", pa.list_(span)),
        ]
    )
    category = pa.struct(
        [
            ("category_id", pa.int64()),
            ("name", pa.string()),
            ("score", pa.float64()),
            ("attributes", pa.list_(attribute)),
        ]
    )
    return pa.schema(
        [
            ("media_name", pa.string()),
            ("prediction_task_uuid", pa.string()),
            ("object_id", pa.int64()),
            ("timestamp_us", pa.int64()),
            ("top_category_id", pa.int64()),
            ("top_category", pa.string()),
            ("top_score", pa.float64()),
            ("x1", pa.float64()),
            ("y1", pa.float64()),
            ("x2", pa.float64()),
            ("y2", pa.float64()),
            ("bbox_score", pa.float64()),
            ("categories", pa.list_(category)),
        ]
    )


def image_table(response: ClassificationPredictImageResponse, media_name: str | None = None) -> pa.Table:
    """One row per detected object of an image response."""
    rows: dict[str, list[Any]] = {column: [] for column in results_schema().names}
    add_image_rows(rows, response, media_name if media_name is not None else response.original_file_name)
    return rows_table(rows, results_schema())


def add_image_rows(rows: dict[str, list[Any]], response: ClassificationPredictImageResponse, name: str | None) -> int:
    """Append an image response's rows (one per object) to `rows`, column by column; how many."""
    for obj in response.objects:
        box = obj.bbox_observation
        _add_row(
            rows,
            name=name,
            uuid=response.prediction_task_uuid,
            object_id=obj.object_id,
            timestamp_us=None,
            box=box.normalized_bbox,
            bbox_score=box.bbox_score,
        )
        _add_categories(rows, obj.categories)
    return len(response.objects)


def video_table(response: ClassificationPredictVideoResponse, media_name: str | None = None) -> pa.Table:
    """One row per observation (sampled frame) of each tracked object of a video response.

    A row's attributes are the options in effect at its frame (see `_frame_states`).
    """
    import pyarrow as pa

    from ._frame_states import FrameStates

    name = media_name if media_name is not None else response.original_file_name
    rows: dict[str, list[Any]] = {column: [] for column in results_schema().names}
    values: list[list[dict[str, Any]]] = []
    picks: list[int] = []
    for obj in response.objects:
        states = FrameStates(obj.categories, values)
        top = _top(obj.categories)
        for seen in obj.bbox_observations:
            box = seen.observation
            _add_row(
                rows,
                name=name,
                uuid=response.prediction_task_uuid,
                object_id=obj.object_id,
                timestamp_us=seen.timestamp_microseconds,
                box=box.normalized_bbox if box is not None else None,
                bbox_score=box.bbox_score if box is not None else None,
            )
            _add_top(rows, top)
            picks.append(states.at(seen.timestamp_microseconds))
    categories_type = results_schema().field("categories").type
    categories = pa.array(values, type=categories_type).take(pa.array(picks, pa.int64()))
    return rows_table(rows, results_schema(), categories)


def table_of(response: ClassificationPredictImageResponse | ClassificationPredictVideoResponse) -> pa.Table:
    """The `to_arrow()` table of an image or a video response."""
    from .models import ClassificationPredictVideoResponse

    if isinstance(response, ClassificationPredictVideoResponse):
        return video_table(response)
    return image_table(response)


class Tabular:
    """`to_arrow()`, `to_pandas()` and `to_polars()` for the two response types."""

    __slots__ = ()

    def to_arrow(self) -> pa.Table:
        """The result as a pyarrow.Table: one row per detected object (images) or
        per observation (videos), in the schema documented in README."""
        return table_of(self)  # type: ignore[arg-type]

    def to_pandas(self) -> Any:
        """`to_arrow()` as a pandas DataFrame. Needs the extra: pip install "dragoneye-python[pandas]"."""
        try:
            import pandas  # noqa: F401
        except ImportError as exc:
            raise ImportError('to_pandas() needs pandas: pip install "dragoneye-python[pandas]"') from exc
        return self.to_arrow().to_pandas()

    def to_polars(self) -> Any:
        """`to_arrow()` as a polars DataFrame. Needs the extra: pip install "dragoneye-python[polars]"."""
        try:
            import polars
        except ImportError as exc:
            raise ImportError('to_polars() needs polars: pip install "dragoneye-python[polars]"') from exc
        return polars.from_arrow(self.to_arrow())


def _add_row(
    rows: dict[str, list[Any]],
    *,
    name: str | None,
    uuid: str,
    object_id: int,
    timestamp_us: int | None,
    box: Iterable[float] | None,
    bbox_score: float | None,
) -> None:
    rows["media_name"].append(name)
    rows["prediction_task_uuid"].append(uuid)
    rows["object_id"].append(object_id)
    rows["timestamp_us"].append(timestamp_us)
    x1, y1, x2, y2 = box if box is not None else (None, None, None, None)
    rows["x1"].append(x1)
    rows["y1"].append(y1)
    rows["x2"].append(x2)
    rows["y2"].append(y2)
    rows["bbox_score"].append(bbox_score)


def _add_categories(rows: dict[str, list[Any]], categories: Sequence[ImageCategoryPrediction]) -> None:
    _add_top(rows, _top(categories))
    rows["categories"].append(
        [
            {
                "category_id": category.category_id,
                "name": category.name,
                "score": category.score,
                "attributes": [
                    attribute_value(attribute, score=attribute.score, spans=None) for attribute in category.attributes
                ],
            }
            for category in categories
        ]
    )


def attribute_value(attribute: Any, *, score: float | None, spans: Iterable[Any] | None) -> dict[str, Any]:
    """An attribute's struct in the `categories` column: `score` for images, the scored
    `spans` (ScoredTimestampRange) for videos, the other None."""
    return {
        "attribute_id": attribute.attribute_id,
        "attribute_name": attribute.attribute_name,
        "option_id": attribute.option_id,
        "option_name": attribute.option_name,
        "score": score,
        "timestamp_ranges": None
        if spans is None
        else [
            {
                "timestamp_start_us_inclusive": span.timestamp_start_us_inclusive,
                "timestamp_end_us_inclusive": span.timestamp_end_us_inclusive,
                "score": span.score,
            }
            for span in spans
        ],
    }


def _top(
    categories: Sequence[ImageCategoryPrediction] | Sequence[VideoCategoryPrediction],
) -> ImageCategoryPrediction | VideoCategoryPrediction | None:
    return max(categories, key=lambda category: category.score, default=None)


def _add_top(rows: dict[str, list[Any]], top: ImageCategoryPrediction | VideoCategoryPrediction | None) -> None:
    rows["top_category_id"].append(top.category_id if top is not None else None)
    rows["top_category"].append(top.name if top is not None else None)
    rows["top_score"].append(top.score if top is not None else None)


def rows_table(rows: dict[str, list[Any]], schema: pa.Schema, categories: pa.Array | None = None) -> pa.Table:
    """The table of `rows` (column name -> values) in `schema`; `categories`, if given, is that column built."""
    import pyarrow as pa

    columns = [
        categories if field.name == "categories" and categories is not None else pa.array(rows[field.name], field.type)
        for field in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)
