from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BackendConfiguration")


@_attrs_define
class BackendConfiguration:
    """The classic Qiskit backend configuration document (many more fields than listed).

    Attributes:
        backend_name (str):
        backend_version (str):
        n_qubits (int):
        basis_gates (list[str]):
        coupling_map (list[list[int]]):
        max_shots (int | Unset):
        max_experiments (int | Unset):
        simulator (bool | Unset):
    """

    backend_name: str
    backend_version: str
    n_qubits: int
    basis_gates: list[str]
    coupling_map: list[list[int]]
    max_shots: int | Unset = UNSET
    max_experiments: int | Unset = UNSET
    simulator: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        backend_name = self.backend_name

        backend_version = self.backend_version

        n_qubits = self.n_qubits

        basis_gates = self.basis_gates

        coupling_map = []
        for coupling_map_item_data in self.coupling_map:
            coupling_map_item = coupling_map_item_data

            coupling_map.append(coupling_map_item)

        max_shots = self.max_shots

        max_experiments = self.max_experiments

        simulator = self.simulator

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "backend_name": backend_name,
                "backend_version": backend_version,
                "n_qubits": n_qubits,
                "basis_gates": basis_gates,
                "coupling_map": coupling_map,
            }
        )
        if max_shots is not UNSET:
            field_dict["max_shots"] = max_shots
        if max_experiments is not UNSET:
            field_dict["max_experiments"] = max_experiments
        if simulator is not UNSET:
            field_dict["simulator"] = simulator

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        backend_name = d.pop("backend_name")

        backend_version = d.pop("backend_version")

        n_qubits = d.pop("n_qubits")

        basis_gates = cast(list[str], d.pop("basis_gates"))

        coupling_map = []
        _coupling_map = d.pop("coupling_map")
        for coupling_map_item_data in _coupling_map:
            coupling_map_item = cast(list[int], coupling_map_item_data)

            coupling_map.append(coupling_map_item)

        max_shots = d.pop("max_shots", UNSET)

        max_experiments = d.pop("max_experiments", UNSET)

        simulator = d.pop("simulator", UNSET)

        backend_configuration = cls(
            backend_name=backend_name,
            backend_version=backend_version,
            n_qubits=n_qubits,
            basis_gates=basis_gates,
            coupling_map=coupling_map,
            max_shots=max_shots,
            max_experiments=max_experiments,
            simulator=simulator,
        )

        backend_configuration.additional_properties = d
        return backend_configuration

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
