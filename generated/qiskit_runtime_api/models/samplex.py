from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Samplex")


@_attrs_define
class Samplex:
    """A samplex serialized to JSON by samplomatic. `ssv` (samplex serialization version) repeats
    the version written inside `samplex_json` and must agree with it; the service reads
    versions up to the newest its samplomatic writes.

        Attributes:
            ssv (int):
            samplex_json (str):
    """

    ssv: int
    samplex_json: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ssv = self.ssv

        samplex_json = self.samplex_json

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ssv": ssv,
                "samplex_json": samplex_json,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        ssv = d.pop("ssv")

        samplex_json = d.pop("samplex_json")

        samplex = cls(
            ssv=ssv,
            samplex_json=samplex_json,
        )

        samplex.additional_properties = d
        return samplex

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
