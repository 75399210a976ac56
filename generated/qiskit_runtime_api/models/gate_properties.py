from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.nduv import Nduv


T = TypeVar("T", bound="GateProperties")


@_attrs_define
class GateProperties:
    """
    Attributes:
        gate (str):
        qubits (list[int]):
        parameters (list[Nduv]):
        name (str | Unset):
    """

    gate: str
    qubits: list[int]
    parameters: list[Nduv]
    name: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        gate = self.gate

        qubits = self.qubits

        parameters = []
        for parameters_item_data in self.parameters:
            parameters_item = parameters_item_data.to_dict()
            parameters.append(parameters_item)

        name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "gate": gate,
                "qubits": qubits,
                "parameters": parameters,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.nduv import Nduv

        d = dict(src_dict)
        gate = d.pop("gate")

        qubits = cast(list[int], d.pop("qubits"))

        parameters = []
        _parameters = d.pop("parameters")
        for parameters_item_data in _parameters:
            parameters_item = Nduv.from_dict(parameters_item_data)

            parameters.append(parameters_item)

        name = d.pop("name", UNSET)

        gate_properties = cls(
            gate=gate,
            qubits=qubits,
            parameters=parameters,
            name=name,
        )

        return gate_properties
