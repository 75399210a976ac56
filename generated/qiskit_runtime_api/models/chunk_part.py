from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ChunkPart")


@_attrs_define
class ChunkPart:
    """The elements of one item that ran in a chunk: the item's shape is permuted by
    `permutation` (`permuted[i] = shape[permutation[i]]`), flattened, and sliced by
    `element_range` (`[start, stop, step]`); `size` is the number of elements in that slice.

        Attributes:
            idx_item (int):
            size (int):
            permutation (list[int]):
            element_range (list[int]):
    """

    idx_item: int
    size: int
    permutation: list[int]
    element_range: list[int]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        idx_item = self.idx_item

        size = self.size

        permutation = self.permutation

        element_range = self.element_range

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "idx_item": idx_item,
                "size": size,
                "permutation": permutation,
                "element_range": element_range,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        idx_item = d.pop("idx_item")

        size = d.pop("size")

        permutation = cast(list[int], d.pop("permutation"))

        element_range = cast(list[int], d.pop("element_range"))

        chunk_part = cls(
            idx_item=idx_item,
            size=size,
            permutation=permutation,
            element_range=element_range,
        )

        chunk_part.additional_properties = d
        return chunk_part

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
