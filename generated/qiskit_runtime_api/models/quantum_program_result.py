from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.quantum_program_item_result import QuantumProgramItemResult
    from ..models.quantum_program_metadata import QuantumProgramMetadata


T = TypeVar("T", bound="QuantumProgramResult")


@_attrs_define
class QuantumProgramResult:
    """The result of an executor job (schema version `v2.0`): one entry of `data` per item of
    the program, in order, and the program's `passthrough_data` and `semantic_role` echoed
    unchanged. Each classical register of an item's circuit is a `bool` tensor of shape
    `(*item_shape, shots, register_size)`, where `item_shape` is the item's `shape` broadcast
    with its arguments' shape; column `j` holds bit `j` of the register.

        Attributes:
            schema_version (Literal['v2.0']):
            data (list[QuantumProgramItemResult]):
            metadata (QuantumProgramMetadata): Execution metadata of the whole program.
            passthrough_data (Any | Unset): Any JSON value (objects, arrays and scalars nested freely; a leaf may be a
                `Tensor`
                object). The service stores it and returns it unchanged in the result: clients keep their
                post-processing instructions here.
            semantic_role (None | str | Unset): The program's `semantic_role`, echoed.
    """

    schema_version: Literal["v2.0"]
    data: list[QuantumProgramItemResult]
    metadata: QuantumProgramMetadata
    passthrough_data: Any | Unset = UNSET
    semantic_role: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        schema_version = self.schema_version

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        metadata = self.metadata.to_dict()

        passthrough_data = self.passthrough_data

        semantic_role: None | str | Unset
        if isinstance(self.semantic_role, Unset):
            semantic_role = UNSET
        else:
            semantic_role = self.semantic_role

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "schema_version": schema_version,
                "data": data,
                "metadata": metadata,
            }
        )
        if passthrough_data is not UNSET:
            field_dict["passthrough_data"] = passthrough_data
        if semantic_role is not UNSET:
            field_dict["semantic_role"] = semantic_role

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.quantum_program_item_result import QuantumProgramItemResult
        from ..models.quantum_program_metadata import QuantumProgramMetadata

        d = dict(src_dict)
        schema_version = cast(Literal["v2.0"], d.pop("schema_version"))
        if schema_version != "v2.0":
            raise ValueError(f"schema_version must match const 'v2.0', got '{schema_version}'")

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = QuantumProgramItemResult.from_dict(data_item_data)

            data.append(data_item)

        metadata = QuantumProgramMetadata.from_dict(d.pop("metadata"))

        passthrough_data = d.pop("passthrough_data", UNSET)

        def _parse_semantic_role(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        semantic_role = _parse_semantic_role(d.pop("semantic_role", UNSET))

        quantum_program_result = cls(
            schema_version=schema_version,
            data=data,
            metadata=metadata,
            passthrough_data=passthrough_data,
            semantic_role=semantic_role,
        )

        quantum_program_result.additional_properties = d
        return quantum_program_result

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
