from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PredictionTaskStatusResponse")


@_attrs_define
class PredictionTaskStatusResponse:
    """The status of a prediction task.

    Attributes:
        prediction_task_uuid (str):
        prediction_type (str): `image` or `video`.
        status (str): `predicted` when done; a state starting with `failed` when the task
            failed; anything else (including states added later) while running.
    """

    prediction_task_uuid: str
    prediction_type: str
    status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prediction_task_uuid = self.prediction_task_uuid

        prediction_type = self.prediction_type

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prediction_task_uuid": prediction_task_uuid,
                "prediction_type": prediction_type,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prediction_task_uuid = d.pop("prediction_task_uuid")

        prediction_type = d.pop("prediction_type")

        status = d.pop("status")

        prediction_task_status_response = cls(
            prediction_task_uuid=prediction_task_uuid,
            prediction_type=prediction_type,
            status=status,
        )

        prediction_task_status_response.additional_properties = d
        return prediction_task_status_response

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
