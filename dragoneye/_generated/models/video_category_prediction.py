from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.video_attribute_prediction import VideoAttributePrediction


T = TypeVar("T", bound="VideoCategoryPrediction")


@_attrs_define
class VideoCategoryPrediction:
    """A predicted category of a tracked object, with its attributes.

    Attributes:
        category_id (int):
        name (str):
        score (float):
        attributes (list[VideoAttributePrediction]):
    """

    category_id: int
    name: str
    score: float
    attributes: list[VideoAttributePrediction]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category_id = self.category_id

        name = self.name

        score = self.score

        attributes = []
        for attributes_item_data in self.attributes:
            attributes_item = attributes_item_data.to_dict()
            attributes.append(attributes_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category_id": category_id,
                "name": name,
                "score": score,
                "attributes": attributes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.video_attribute_prediction import VideoAttributePrediction  # noqa: PLC0415

        d = dict(src_dict)
        category_id = d.pop("category_id")

        name = d.pop("name")

        score = d.pop("score")

        attributes = []
        _attributes = d.pop("attributes")
        for attributes_item_data in _attributes:
            attributes_item = VideoAttributePrediction.from_dict(attributes_item_data)

            attributes.append(attributes_item)

        video_category_prediction = cls(
            category_id=category_id,
            name=name,
            score=score,
            attributes=attributes,
        )

        video_category_prediction.additional_properties = d
        return video_category_prediction

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
