from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.chunk_span import ChunkSpan


T = TypeVar("T", bound="QuantumProgramMetadata")


@_attrs_define
class QuantumProgramMetadata:
    """Execution metadata of the whole program.

    Attributes:
        chunk_timing (list[ChunkSpan]): When each chunk of bound circuits ran, and which elements of which items.
    """

    chunk_timing: list[ChunkSpan]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chunk_timing = []
        for chunk_timing_item_data in self.chunk_timing:
            chunk_timing_item = chunk_timing_item_data.to_dict()
            chunk_timing.append(chunk_timing_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chunk_timing": chunk_timing,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chunk_span import ChunkSpan

        d = dict(src_dict)
        chunk_timing = []
        _chunk_timing = d.pop("chunk_timing")
        for chunk_timing_item_data in _chunk_timing:
            chunk_timing_item = ChunkSpan.from_dict(chunk_timing_item_data)

            chunk_timing.append(chunk_timing_item)

        quantum_program_metadata = cls(
            chunk_timing=chunk_timing,
        )

        quantum_program_metadata.additional_properties = d
        return quantum_program_metadata

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
