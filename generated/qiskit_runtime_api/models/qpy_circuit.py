from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

T = TypeVar("T", bound="QpyCircuit")


@_attrs_define
class QpyCircuit:
    """
    Attributes:
        field_type_ (Literal['QuantumCircuit']):
        field_value (str): base64 of the zlib-compressed QPY bytes.
    """

    field_type_: Literal["QuantumCircuit"]
    field_value: str

    def to_dict(self) -> dict[str, Any]:
        field_type_ = self.field_type_

        field_value = self.field_value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "__type__": field_type_,
                "__value__": field_value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        field_type_ = cast(Literal["QuantumCircuit"], d.pop("__type__"))
        if field_type_ != "QuantumCircuit":
            raise ValueError(f"__type__ must match const 'QuantumCircuit', got '{field_type_}'")

        field_value = d.pop("__value__")

        qpy_circuit = cls(
            field_type_=field_type_,
            field_value=field_value,
        )

        return qpy_circuit
