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

from ..models.auto import Auto, check_auto
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.f64_tensor import F64Tensor


T = TypeVar("T", bound="CircuitItem")


@_attrs_define
class CircuitItem:
    """A circuit run with given parameter values. `circuit_arguments` has shape
    `(*sweep, num_parameters)`: its last axis follows the circuit's parameters in qiskit's
    order (sorted by name), and its leading axes form a parameter sweep. The item runs once
    per element of `shape` broadcast with `sweep` (numpy rules; `shape` may add axes that
    repeat the same values), `shots` shots each.

        Attributes:
            item_type (Literal['circuit']):
            circuit_arguments (F64Tensor): A `Tensor` of 64-bit floats (`dtype` may be left out).
            shape (list[int]): An array shape (numpy order); `[]` is a scalar.
            chunk_size (Auto | int | Unset): A positive count, or `auto` to let the service choose.
    """

    item_type: Literal["circuit"]
    circuit_arguments: F64Tensor
    shape: list[int]
    chunk_size: Auto | int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        item_type = self.item_type

        circuit_arguments = self.circuit_arguments.to_dict()

        shape = self.shape

        chunk_size: int | str | Unset
        if isinstance(self.chunk_size, Unset):
            chunk_size = UNSET
        elif isinstance(self.chunk_size, str):
            chunk_size = self.chunk_size
        else:
            chunk_size = self.chunk_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "item_type": item_type,
                "circuit_arguments": circuit_arguments,
                "shape": shape,
            }
        )
        if chunk_size is not UNSET:
            field_dict["chunk_size"] = chunk_size

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.f64_tensor import F64Tensor

        d = dict(src_dict)
        item_type = cast(Literal["circuit"], d.pop("item_type"))
        if item_type != "circuit":
            raise ValueError(f"item_type must match const 'circuit', got '{item_type}'")

        circuit_arguments = F64Tensor.from_dict(d.pop("circuit_arguments"))

        shape = cast(list[int], d.pop("shape"))

        def _parse_chunk_size(data: object) -> Auto | int | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_auto_or_count_type_1 = check_auto(data)

                return componentsschemas_auto_or_count_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Auto | int | Unset, data)

        chunk_size = _parse_chunk_size(d.pop("chunk_size", UNSET))

        circuit_item = cls(
            item_type=item_type,
            circuit_arguments=circuit_arguments,
            shape=shape,
            chunk_size=chunk_size,
        )

        circuit_item.additional_properties = d
        return circuit_item

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
