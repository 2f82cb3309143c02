from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

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

    def to_dict(self) -> dict[str, Any]:
        blob_path = self.blob_path

        presigned_post_request = self.presigned_post_request.to_dict()

        field_dict: dict[str, Any] = {}

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

        return media_upload_url
