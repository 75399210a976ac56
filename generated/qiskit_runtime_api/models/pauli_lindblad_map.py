from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PauliLindbladMap")


@_attrs_define
class PauliLindbladMap:
    """A sparse Pauli-Lindblad map (a noise model of one layer of gates).

    Attributes:
        sparse_terms (list[list[float | list[int] | str]]):
        num_qubits (int):
    """

    sparse_terms: list[list[float | list[int] | str]]
    num_qubits: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sparse_terms = []
        for sparse_terms_item_data in self.sparse_terms:
            sparse_terms_item = []
            for componentsschemas_pauli_lindblad_term_item_data in sparse_terms_item_data:
                componentsschemas_pauli_lindblad_term_item: float | list[int] | str
                if isinstance(componentsschemas_pauli_lindblad_term_item_data, list):
                    componentsschemas_pauli_lindblad_term_item = (
                        componentsschemas_pauli_lindblad_term_item_data
                    )

                else:
                    componentsschemas_pauli_lindblad_term_item = (
                        componentsschemas_pauli_lindblad_term_item_data
                    )
                sparse_terms_item.append(componentsschemas_pauli_lindblad_term_item)

            sparse_terms.append(sparse_terms_item)

        num_qubits = self.num_qubits

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sparse_terms": sparse_terms,
                "num_qubits": num_qubits,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        sparse_terms = []
        _sparse_terms = d.pop("sparse_terms")
        for sparse_terms_item_data in _sparse_terms:
            sparse_terms_item = []
            _sparse_terms_item = sparse_terms_item_data
            for componentsschemas_pauli_lindblad_term_item_data in _sparse_terms_item:

                def _parse_componentsschemas_pauli_lindblad_term_item(
                    data: object,
                ) -> float | list[int] | str:
                    try:
                        if not isinstance(data, list):
                            raise TypeError()
                        componentsschemas_pauli_lindblad_term_item_type_1 = cast(list[int], data)

                        return componentsschemas_pauli_lindblad_term_item_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    return cast(float | list[int] | str, data)

                componentsschemas_pauli_lindblad_term_item = (
                    _parse_componentsschemas_pauli_lindblad_term_item(
                        componentsschemas_pauli_lindblad_term_item_data
                    )
                )

                sparse_terms_item.append(componentsschemas_pauli_lindblad_term_item)

            sparse_terms.append(sparse_terms_item)

        num_qubits = d.pop("num_qubits")

        pauli_lindblad_map = cls(
            sparse_terms=sparse_terms,
            num_qubits=num_qubits,
        )

        pauli_lindblad_map.additional_properties = d
        return pauli_lindblad_map

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
