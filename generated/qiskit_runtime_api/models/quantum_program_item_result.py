from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.named_tensors import NamedTensors
    from ..models.quantum_program_item_metadata import QuantumProgramItemMetadata


T = TypeVar("T", bound="QuantumProgramItemResult")


@_attrs_define
class QuantumProgramItemResult:
    """The outputs of one item, by name: one per classical register of its circuit (named after
    the register) and, for samplex items, the samplex's outputs (e.g.
    `measurement_flips.<register>`, bit flips to undo measurement twirling, of shape
    `(*item_shape, 1, register_size)`).

        Attributes:
            results (NamedTensors): Tensors by name.
            metadata (QuantumProgramItemMetadata): What the service reports about one item: null unless the job's options
                asked for it
                (`scheduler_timing`, `stretch_values`).
    """

    results: NamedTensors
    metadata: QuantumProgramItemMetadata
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        results = self.results.to_dict()

        metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "results": results,
                "metadata": metadata,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.named_tensors import NamedTensors
        from ..models.quantum_program_item_metadata import QuantumProgramItemMetadata

        d = dict(src_dict)
        results = NamedTensors.from_dict(d.pop("results"))

        metadata = QuantumProgramItemMetadata.from_dict(d.pop("metadata"))

        quantum_program_item_result = cls(
            results=results,
            metadata=metadata,
        )

        quantum_program_item_result.additional_properties = d
        return quantum_program_item_result

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
