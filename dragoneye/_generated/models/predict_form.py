from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from .. import types

T = TypeVar("T", bound="PredictForm")


@_attrs_define
class PredictForm:
    """
    Attributes:
        model_name (str): The model, as `recognize_anything/<model name>`.
        prediction_task_uuid (str):
    """

    model_name: str
    prediction_task_uuid: str

    def to_dict(self) -> dict[str, Any]:
        model_name = self.model_name

        prediction_task_uuid = self.prediction_task_uuid

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "model_name": model_name,
                "prediction_task_uuid": prediction_task_uuid,
            }
        )

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("model_name", (None, str(self.model_name).encode(), "text/plain")))

        files.append(("prediction_task_uuid", (None, str(self.prediction_task_uuid).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model_name = d.pop("model_name")

        prediction_task_uuid = d.pop("prediction_task_uuid")

        predict_form = cls(
            model_name=model_name,
            prediction_task_uuid=prediction_task_uuid,
        )

        return predict_form
