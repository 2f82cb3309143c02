from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.timestamp_range import TimestampRange
    from ..models.video_bbox_observation import VideoBboxObservation
    from ..models.video_category_prediction import VideoCategoryPrediction


T = TypeVar("T", bound="VideoDetectedObject")


@_attrs_define
class VideoDetectedObject:
    """One object tracked across the video.

    Attributes:
        object_id (int):
        timestamp_ranges (list[TimestampRange]):
        bbox_observations (list[VideoBboxObservation]):
        categories (list[VideoCategoryPrediction]):
    """

    object_id: int
    timestamp_ranges: list[TimestampRange]
    bbox_observations: list[VideoBboxObservation]
    categories: list[VideoCategoryPrediction]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_id = self.object_id

        timestamp_ranges = []
        for timestamp_ranges_item_data in self.timestamp_ranges:
            timestamp_ranges_item = timestamp_ranges_item_data.to_dict()
            timestamp_ranges.append(timestamp_ranges_item)

        bbox_observations = []
        for bbox_observations_item_data in self.bbox_observations:
            bbox_observations_item = bbox_observations_item_data.to_dict()
            bbox_observations.append(bbox_observations_item)

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.to_dict()
            categories.append(categories_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "object_id": object_id,
                "timestamp_ranges": timestamp_ranges,
                "bbox_observations": bbox_observations,
                "categories": categories,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.timestamp_range import TimestampRange  # noqa: PLC0415
        from ..models.video_bbox_observation import VideoBboxObservation  # noqa: PLC0415
        from ..models.video_category_prediction import VideoCategoryPrediction  # noqa: PLC0415

        d = dict(src_dict)
        object_id = d.pop("object_id")

        timestamp_ranges = []
        _timestamp_ranges = d.pop("timestamp_ranges")
        for timestamp_ranges_item_data in _timestamp_ranges:
            timestamp_ranges_item = TimestampRange.from_dict(timestamp_ranges_item_data)

            timestamp_ranges.append(timestamp_ranges_item)

        bbox_observations = []
        _bbox_observations = d.pop("bbox_observations")
        for bbox_observations_item_data in _bbox_observations:
            bbox_observations_item = VideoBboxObservation.from_dict(bbox_observations_item_data)

            bbox_observations.append(bbox_observations_item)

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = VideoCategoryPrediction.from_dict(categories_item_data)

            categories.append(categories_item)

        video_detected_object = cls(
            object_id=object_id,
            timestamp_ranges=timestamp_ranges,
            bbox_observations=bbox_observations,
            categories=categories,
        )

        video_detected_object.additional_properties = d
        return video_detected_object

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
