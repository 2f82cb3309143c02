from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ImageAttributePrediction")


@_attrs_define
class ImageAttributePrediction:
    """A chosen attribute option for an object in an image, with its score.

    Attributes:
        attribute_id (int):
        attribute_name (str):
        option_id (int):
        option_name (str):
        score (float):
    """

    attribute_id: int
    attribute_name: str
    option_id: int
    option_name: str
    score: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attribute_id = self.attribute_id

        attribute_name = self.attribute_name

        option_id = self.option_id

        option_name = self.option_name

        score = self.score

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attribute_id": attribute_id,
                "attribute_name": attribute_name,
                "option_id": option_id,
                "option_name": option_name,
                "score": score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attribute_id = d.pop("attribute_id")

        attribute_name = d.pop("attribute_name")

        option_id = d.pop("option_id")

        option_name = d.pop("option_name")

        score = d.pop("score")

        image_attribute_prediction = cls(
            attribute_id=attribute_id,
            attribute_name=attribute_name,
            option_id=option_id,
            option_name=option_name,
            score=score,
        )

        image_attribute_prediction.additional_properties = d
        return image_attribute_prediction

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
