from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QpyCircuits")


@_attrs_define
class QpyCircuits:
    """All the circuits in one QPY file, zlib-compressed, then base64-encoded. `qpy_version` and
    `num_programs` repeat the file header's values and must agree with it; the service reads
    QPY versions up to the newest its qiskit writes.

        Attributes:
            b64_data (str): base64 of the zlib-compressed QPY file.
            qpy_version (int): The QPY format version the file was written with.
            num_programs (int): Number of circuits in the file.
    """

    b64_data: str
    qpy_version: int
    num_programs: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        b64_data = self.b64_data

        qpy_version = self.qpy_version

        num_programs = self.num_programs

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "b64_data": b64_data,
                "qpy_version": qpy_version,
                "num_programs": num_programs,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        b64_data = d.pop("b64_data")

        qpy_version = d.pop("qpy_version")

        num_programs = d.pop("num_programs")

        qpy_circuits = cls(
            b64_data=b64_data,
            qpy_version=qpy_version,
            num_programs=num_programs,
        )

        qpy_circuits.additional_properties = d
        return qpy_circuits

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
