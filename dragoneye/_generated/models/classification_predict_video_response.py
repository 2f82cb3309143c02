from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.video_detected_object import VideoDetectedObject


T = TypeVar("T", bound="ClassificationPredictVideoResponse")


@_attrs_define
class ClassificationPredictVideoResponse:
    """The result of predicting a video.

    Attributes:
        objects (list[VideoDetectedObject]):
        frames_per_second (int):
        frame_timestamps_microseconds (list[int]): Every processed frame, sorted, including frames with no detection.
        prediction_task_uuid (str):
        original_file_name (None | str):
    """

    objects: list[VideoDetectedObject]
    frames_per_second: int
    frame_timestamps_microseconds: list[int]
    prediction_task_uuid: str
    original_file_name: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        objects = []
        for objects_item_data in self.objects:
            objects_item = objects_item_data.to_dict()
            objects.append(objects_item)

        frames_per_second = self.frames_per_second

        frame_timestamps_microseconds = self.frame_timestamps_microseconds

        prediction_task_uuid = self.prediction_task_uuid

        original_file_name: None | str
        original_file_name = self.original_file_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "objects": objects,
                "frames_per_second": frames_per_second,
                "frame_timestamps_microseconds": frame_timestamps_microseconds,
                "prediction_task_uuid": prediction_task_uuid,
                "original_file_name": original_file_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.video_detected_object import VideoDetectedObject  # noqa: PLC0415

        d = dict(src_dict)
        objects = []
        _objects = d.pop("objects")
        for objects_item_data in _objects:
            objects_item = VideoDetectedObject.from_dict(objects_item_data)

            objects.append(objects_item)

        frames_per_second = d.pop("frames_per_second")

        frame_timestamps_microseconds = cast(list[int], d.pop("frame_timestamps_microseconds"))

        prediction_task_uuid = d.pop("prediction_task_uuid")

        def _parse_original_file_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        original_file_name = _parse_original_file_name(d.pop("original_file_name"))

        classification_predict_video_response = cls(
            objects=objects,
            frames_per_second=frames_per_second,
            frame_timestamps_microseconds=frame_timestamps_microseconds,
            prediction_task_uuid=prediction_task_uuid,
            original_file_name=original_file_name,
        )

        classification_predict_video_response.additional_properties = d
        return classification_predict_video_response

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
