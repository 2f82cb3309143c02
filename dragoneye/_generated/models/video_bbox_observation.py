from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.bbox_observation import BboxObservation


T = TypeVar("T", bound="VideoBboxObservation")


@_attrs_define
class VideoBboxObservation:
    """One sampled frame of a track; `observation` is null on a gap frame.

    Attributes:
        timestamp_microseconds (int):
        observation (BboxObservation | None):
    """

    timestamp_microseconds: int
    observation: BboxObservation | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.bbox_observation import BboxObservation  # noqa: PLC0415

        timestamp_microseconds = self.timestamp_microseconds

        observation: dict[str, Any] | None
        if isinstance(self.observation, BboxObservation):
            observation = self.observation.to_dict()
        else:
            observation = self.observation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "timestamp_microseconds": timestamp_microseconds,
                "observation": observation,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bbox_observation import BboxObservation  # noqa: PLC0415

        d = dict(src_dict)
        timestamp_microseconds = d.pop("timestamp_microseconds")

        def _parse_observation(data: object) -> BboxObservation | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                observation_type_0 = BboxObservation.from_dict(data)

                return observation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BboxObservation | None, data)

        observation = _parse_observation(d.pop("observation"))

        video_bbox_observation = cls(
            timestamp_microseconds=timestamp_microseconds,
            observation=observation,
        )

        video_bbox_observation.additional_properties = d
        return video_bbox_observation

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
