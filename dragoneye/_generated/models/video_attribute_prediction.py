from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.scored_timestamp_range import ScoredTimestampRange


T = TypeVar("T", bound="VideoAttributePrediction")


@_attrs_define
class VideoAttributePrediction:
    """A chosen attribute option with the scored spans over which it held.

    Attributes:
        attribute_id (int):
        attribute_name (str):
        option_id (int):
        option_name (str):
        timestamp_ranges (list[ScoredTimestampRange]):
    """

    attribute_id: int
    attribute_name: str
    option_id: int
    option_name: str
    timestamp_ranges: list[ScoredTimestampRange]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attribute_id = self.attribute_id

        attribute_name = self.attribute_name

        option_id = self.option_id

        option_name = self.option_name

        timestamp_ranges = []
        for timestamp_ranges_item_data in self.timestamp_ranges:
            timestamp_ranges_item = timestamp_ranges_item_data.to_dict()
            timestamp_ranges.append(timestamp_ranges_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attribute_id": attribute_id,
                "attribute_name": attribute_name,
                "option_id": option_id,
                "option_name": option_name,
                "timestamp_ranges": timestamp_ranges,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.scored_timestamp_range import ScoredTimestampRange  # noqa: PLC0415

        d = dict(src_dict)
        attribute_id = d.pop("attribute_id")

        attribute_name = d.pop("attribute_name")

        option_id = d.pop("option_id")

        option_name = d.pop("option_name")

        timestamp_ranges = []
        _timestamp_ranges = d.pop("timestamp_ranges")
        for timestamp_ranges_item_data in _timestamp_ranges:
            timestamp_ranges_item = ScoredTimestampRange.from_dict(timestamp_ranges_item_data)

            timestamp_ranges.append(timestamp_ranges_item)

        video_attribute_prediction = cls(
            attribute_id=attribute_id,
            attribute_name=attribute_name,
            option_id=option_id,
            option_name=option_name,
            timestamp_ranges=timestamp_ranges,
        )

        video_attribute_prediction.additional_properties = d
        return video_attribute_prediction

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
