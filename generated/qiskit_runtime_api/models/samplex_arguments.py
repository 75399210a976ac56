from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pauli_lindblad_map import PauliLindbladMap
    from ..models.tensor import Tensor


T = TypeVar("T", bound="SamplexArguments")


@_attrs_define
class SamplexArguments:
    """Values for the samplex's inputs, by input name (e.g. `basis_changes.basis0`,
    `parameter_values`, `pauli_lindblad_maps.<name>`); every input the samplex requires must
    be given.

    """

    additional_properties: dict[str, bool | int | PauliLindbladMap | Tensor] = _attrs_field(
        init=False, factory=dict
    )

    def to_dict(self) -> dict[str, Any]:
        from ..models.pauli_lindblad_map import PauliLindbladMap
        from ..models.tensor import Tensor

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            if isinstance(prop, PauliLindbladMap) or isinstance(prop, Tensor):
                field_dict[prop_name] = prop.to_dict()
            else:
                field_dict[prop_name] = prop

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.pauli_lindblad_map import PauliLindbladMap
        from ..models.tensor import Tensor

        d = dict(src_dict)
        samplex_arguments = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():

            def _parse_additional_property(data: object) -> bool | int | PauliLindbladMap | Tensor:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_samplex_argument_type_2 = PauliLindbladMap.from_dict(data)

                    return componentsschemas_samplex_argument_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_samplex_argument_type_3 = Tensor.from_dict(data)

                    return componentsschemas_samplex_argument_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast(bool | int | PauliLindbladMap | Tensor, data)

            additional_property = _parse_additional_property(prop_dict)

            additional_properties[prop_name] = additional_property

        samplex_arguments.additional_properties = additional_properties
        return samplex_arguments

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> bool | int | PauliLindbladMap | Tensor:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: bool | int | PauliLindbladMap | Tensor) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
