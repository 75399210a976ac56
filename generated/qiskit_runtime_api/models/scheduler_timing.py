from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SchedulerTiming")


@_attrs_define
class SchedulerTiming:
    """The scheduled timing of a circuit, in units of the backend's `dt`.

    Attributes:
        timing (str): The schedule, in a comma-separated text format.
        circuit_duration (int): Duration of the circuit in `dt`.
    """

    timing: str
    circuit_duration: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        timing = self.timing

        circuit_duration = self.circuit_duration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "timing": timing,
                "circuit_duration": circuit_duration,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        timing = d.pop("timing")

        circuit_duration = d.pop("circuit_duration")

        scheduler_timing = cls(
            timing=timing,
            circuit_duration=circuit_duration,
        )

        scheduler_timing.additional_properties = d
        return scheduler_timing

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
