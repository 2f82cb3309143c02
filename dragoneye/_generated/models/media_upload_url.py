from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.presigned_post_request import PresignedPostRequest


T = TypeVar("T", bound="MediaUploadUrl")


@_attrs_define
class MediaUploadUrl:
    """
    Attributes:
        blob_path (str):
        presigned_post_request (PresignedPostRequest):
    """

    blob_path: str
    presigned_post_request: PresignedPostRequest
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        blob_path = self.blob_path

        presigned_post_request = self.presigned_post_request.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "blob_path": blob_path,
                "presigned_post_request": presigned_post_request,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.presigned_post_request import PresignedPostRequest  # noqa: PLC0415

        d = dict(src_dict)
        blob_path = d.pop("blob_path")

        presigned_post_request = PresignedPostRequest.from_dict(d.pop("presigned_post_request"))

        media_upload_url = cls(
            blob_path=blob_path,
            presigned_post_request=presigned_post_request,
        )

        media_upload_url.additional_properties = d
        return media_upload_url

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
