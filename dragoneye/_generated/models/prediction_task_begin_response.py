from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.prediction_type import PredictionType, check_prediction_type

if TYPE_CHECKING:
    from ..models.media_upload_url import MediaUploadUrl


T = TypeVar("T", bound="PredictionTaskBeginResponse")


@_attrs_define
class PredictionTaskBeginResponse:
    """
    Attributes:
        prediction_task_uuid (str):
        prediction_type (PredictionType): Whether a task predicts an image or a video.
        signed_urls (list[MediaUploadUrl]):
    """

    prediction_task_uuid: str
    prediction_type: PredictionType
    signed_urls: list[MediaUploadUrl]

    def to_dict(self) -> dict[str, Any]:
        prediction_task_uuid = self.prediction_task_uuid

        prediction_type: str = self.prediction_type

        signed_urls = []
        for signed_urls_item_data in self.signed_urls:
            signed_urls_item = signed_urls_item_data.to_dict()
            signed_urls.append(signed_urls_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prediction_task_uuid": prediction_task_uuid,
                "prediction_type": prediction_type,
                "signed_urls": signed_urls,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.media_upload_url import MediaUploadUrl  # noqa: PLC0415

        d = dict(src_dict)
        prediction_task_uuid = d.pop("prediction_task_uuid")

        prediction_type = check_prediction_type(d.pop("prediction_type"))

        signed_urls = []
        _signed_urls = d.pop("signed_urls")
        for signed_urls_item_data in _signed_urls:
            signed_urls_item = MediaUploadUrl.from_dict(signed_urls_item_data)

            signed_urls.append(signed_urls_item)

        prediction_task_begin_response = cls(
            prediction_task_uuid=prediction_task_uuid,
            prediction_type=prediction_type,
            signed_urls=signed_urls,
        )

        return prediction_task_begin_response
