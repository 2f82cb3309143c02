from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.bbox_observation import BboxObservation
    from ..models.image_category_prediction import ImageCategoryPrediction


T = TypeVar("T", bound="ImageDetectedObject")


@_attrs_define
class ImageDetectedObject:
    """One detected object in an image.

    Attributes:
        object_id (int):
        bbox_observation (BboxObservation): A bounding box and the confidence of the detection that produced it.
        categories (list[ImageCategoryPrediction]):
    """

    object_id: int
    bbox_observation: BboxObservation
    categories: list[ImageCategoryPrediction]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_id = self.object_id

        bbox_observation = self.bbox_observation.to_dict()

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.to_dict()
            categories.append(categories_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "object_id": object_id,
                "bbox_observation": bbox_observation,
                "categories": categories,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bbox_observation import BboxObservation  # noqa: PLC0415
        from ..models.image_category_prediction import ImageCategoryPrediction  # noqa: PLC0415

        d = dict(src_dict)
        object_id = d.pop("object_id")

        bbox_observation = BboxObservation.from_dict(d.pop("bbox_observation"))

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = ImageCategoryPrediction.from_dict(categories_item_data)

            categories.append(categories_item)

        image_detected_object = cls(
            object_id=object_id,
            bbox_observation=bbox_observation,
            categories=categories,
        )

        image_detected_object.additional_properties = d
        return image_detected_object

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
