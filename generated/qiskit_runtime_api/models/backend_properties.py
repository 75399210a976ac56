from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.gate_properties import GateProperties
    from ..models.nduv import Nduv


T = TypeVar("T", bound="BackendProperties")


@_attrs_define
class BackendProperties:
    """Calibration data (qubit T1/T2, readout and gate errors), the classic Qiskit document.

    Attributes:
        backend_name (str):
        backend_version (str):
        last_update_date (datetime.datetime):
        qubits (list[list[Nduv]]):
        gates (list[GateProperties]):
        general (list[Nduv] | Unset):
    """

    backend_name: str
    backend_version: str
    last_update_date: datetime.datetime
    qubits: list[list[Nduv]]
    gates: list[GateProperties]
    general: list[Nduv] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        backend_name = self.backend_name

        backend_version = self.backend_version

        last_update_date = self.last_update_date.isoformat()

        qubits = []
        for qubits_item_data in self.qubits:
            qubits_item = []
            for qubits_item_item_data in qubits_item_data:
                qubits_item_item = qubits_item_item_data.to_dict()
                qubits_item.append(qubits_item_item)

            qubits.append(qubits_item)

        gates = []
        for gates_item_data in self.gates:
            gates_item = gates_item_data.to_dict()
            gates.append(gates_item)

        general: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.general, Unset):
            general = []
            for general_item_data in self.general:
                general_item = general_item_data.to_dict()
                general.append(general_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "backend_name": backend_name,
                "backend_version": backend_version,
                "last_update_date": last_update_date,
                "qubits": qubits,
                "gates": gates,
            }
        )
        if general is not UNSET:
            field_dict["general"] = general

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.gate_properties import GateProperties
        from ..models.nduv import Nduv

        d = dict(src_dict)
        backend_name = d.pop("backend_name")

        backend_version = d.pop("backend_version")

        last_update_date = datetime.datetime.fromisoformat(d.pop("last_update_date"))

        qubits = []
        _qubits = d.pop("qubits")
        for qubits_item_data in _qubits:
            qubits_item = []
            _qubits_item = qubits_item_data
            for qubits_item_item_data in _qubits_item:
                qubits_item_item = Nduv.from_dict(qubits_item_item_data)

                qubits_item.append(qubits_item_item)

            qubits.append(qubits_item)

        gates = []
        _gates = d.pop("gates")
        for gates_item_data in _gates:
            gates_item = GateProperties.from_dict(gates_item_data)

            gates.append(gates_item)

        _general = d.pop("general", UNSET)
        general: list[Nduv] | Unset = UNSET
        if _general is not UNSET:
            general = []
            for general_item_data in _general:
                general_item = Nduv.from_dict(general_item_data)

                general.append(general_item)

        backend_properties = cls(
            backend_name=backend_name,
            backend_version=backend_version,
            last_update_date=last_update_date,
            qubits=qubits,
            gates=gates,
            general=general,
        )

        backend_properties.additional_properties = d
        return backend_properties

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
