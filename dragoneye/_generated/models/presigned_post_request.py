from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.presigned_post_request_fields import PresignedPostRequestFields


T = TypeVar("T", bound="PresignedPostRequest")


@_attrs_define
class PresignedPostRequest:
    """
    Attributes:
        url (str): Where to POST the upload form.
        fields (PresignedPostRequestFields): Form fields to send verbatim before the file.
    """

    url: str
    fields: PresignedPostRequestFields

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        fields = self.fields.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
                "fields": fields,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.presigned_post_request_fields import PresignedPostRequestFields  # noqa: PLC0415

        d = dict(src_dict)
        url = d.pop("url")

        fields = PresignedPostRequestFields.from_dict(d.pop("fields"))

        presigned_post_request = cls(
            url=url,
            fields=fields,
        )

        return presigned_post_request
