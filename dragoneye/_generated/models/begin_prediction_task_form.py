from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from .. import types
from ..types import UNSET, Unset

T = TypeVar("T", bound="BeginPredictionTaskForm")


@_attrs_define
class BeginPredictionTaskForm:
    """
    Attributes:
        mimetype (str): The media's MIME type, `image/*` or `video/*`.
        response_version (str | Unset): The results encoding; clients send `parquet_object`.
        file_name (str | Unset): The user's own identifier for the media, echoed as `X-Original-File-Name`.
        frames_per_second (int | Unset): Videos only; how many frames per second to sample (not the video's frame rate).
    """

    mimetype: str
    response_version: str | Unset = UNSET
    file_name: str | Unset = UNSET
    frames_per_second: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        mimetype = self.mimetype

        response_version = self.response_version

        file_name = self.file_name

        frames_per_second = self.frames_per_second

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mimetype": mimetype,
            }
        )
        if response_version is not UNSET:
            field_dict["response_version"] = response_version
        if file_name is not UNSET:
            field_dict["file_name"] = file_name
        if frames_per_second is not UNSET:
            field_dict["frames_per_second"] = frames_per_second

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("mimetype", (None, str(self.mimetype).encode(), "text/plain")))

        if not isinstance(self.response_version, Unset):
            files.append(("response_version", (None, str(self.response_version).encode(), "text/plain")))

        if not isinstance(self.file_name, Unset):
            files.append(("file_name", (None, str(self.file_name).encode(), "text/plain")))

        if not isinstance(self.frames_per_second, Unset):
            files.append(("frames_per_second", (None, str(self.frames_per_second).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mimetype = d.pop("mimetype")

        response_version = d.pop("response_version", UNSET)

        file_name = d.pop("file_name", UNSET)

        frames_per_second = d.pop("frames_per_second", UNSET)

        begin_prediction_task_form = cls(
            mimetype=mimetype,
            response_version=response_version,
            file_name=file_name,
            frames_per_second=frames_per_second,
        )

        return begin_prediction_task_form
