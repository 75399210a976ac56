from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StretchValue")


@_attrs_define
class StretchValue:
    """How one `stretch` of a circuit was resolved, in units of the backend's `dt`.

    Attributes:
        name (str):
        value (int): The resolved duration of each use of the stretch.
        remainder (int): Time left over if `value` were used for every use.
        expanded_values (list[list[int]]): `[time, duration]` of each delay that the stretch became.
    """

    name: str
    value: int
    remainder: int
    expanded_values: list[list[int]]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        value = self.value

        remainder = self.remainder

        expanded_values = []
        for expanded_values_item_data in self.expanded_values:
            expanded_values_item = expanded_values_item_data

            expanded_values.append(expanded_values_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "value": value,
                "remainder": remainder,
                "expanded_values": expanded_values,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        value = d.pop("value")

        remainder = d.pop("remainder")

        expanded_values = []
        _expanded_values = d.pop("expanded_values")
        for expanded_values_item_data in _expanded_values:
            expanded_values_item = cast(list[int], expanded_values_item_data)

            expanded_values.append(expanded_values_item)

        stretch_value = cls(
            name=name,
            value=value,
            remainder=remainder,
            expanded_values=expanded_values,
        )

        stretch_value.additional_properties = d
        return stretch_value

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
