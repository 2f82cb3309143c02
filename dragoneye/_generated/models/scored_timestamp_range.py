from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ScoredTimestampRange")


@_attrs_define
class ScoredTimestampRange:
    """A TimestampRange with the mean score of the chosen option over it.

    Attributes:
        timestamp_start_us_inclusive (int):
        timestamp_end_us_inclusive (int):
        score (float):
    """

    timestamp_start_us_inclusive: int
    timestamp_end_us_inclusive: int
    score: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        timestamp_start_us_inclusive = self.timestamp_start_us_inclusive

        timestamp_end_us_inclusive = self.timestamp_end_us_inclusive

        score = self.score

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "timestamp_start_us_inclusive": timestamp_start_us_inclusive,
                "timestamp_end_us_inclusive": timestamp_end_us_inclusive,
                "score": score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        timestamp_start_us_inclusive = d.pop("timestamp_start_us_inclusive")

        timestamp_end_us_inclusive = d.pop("timestamp_end_us_inclusive")

        score = d.pop("score")

        scored_timestamp_range = cls(
            timestamp_start_us_inclusive=timestamp_start_us_inclusive,
            timestamp_end_us_inclusive=timestamp_end_us_inclusive,
            score=score,
        )

        scored_timestamp_range.additional_properties = d
        return scored_timestamp_range

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
