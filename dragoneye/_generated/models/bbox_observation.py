from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BboxObservation")


@_attrs_define
class BboxObservation:
    """A bounding box and the confidence of the detection that produced it.

    Attributes:
        normalized_bbox (list[float]): (x1, y1, x2, y2), each in [0, 1].
        bbox_score (float):
    """

    normalized_bbox: list[float]
    bbox_score: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        normalized_bbox = self.normalized_bbox

        bbox_score = self.bbox_score

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "normalized_bbox": normalized_bbox,
                "bbox_score": bbox_score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        normalized_bbox = cast(list[float], d.pop("normalized_bbox"))

        bbox_score = d.pop("bbox_score")

        bbox_observation = cls(
            normalized_bbox=normalized_bbox,
            bbox_score=bbox_score,
        )

        bbox_observation.additional_properties = d
        return bbox_observation

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
