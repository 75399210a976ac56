from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.plain_primitive_result_metadata import PlainPrimitiveResultMetadata
    from ..models.plain_pub_result import PlainPubResult


T = TypeVar("T", bound="PlainPrimitiveResult")


@_attrs_define
class PlainPrimitiveResult:
    """
    Attributes:
        results (list[PlainPubResult]):
        metadata (PlainPrimitiveResultMetadata | Unset):
    """

    results: list[PlainPubResult]
    metadata: PlainPrimitiveResultMetadata | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "results": results,
            }
        )
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.plain_primitive_result_metadata import (
            PlainPrimitiveResultMetadata,
        )
        from ..models.plain_pub_result import PlainPubResult

        d = dict(src_dict)
        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = PlainPubResult.from_dict(results_item_data)

            results.append(results_item)

        _metadata = d.pop("metadata", UNSET)
        metadata: PlainPrimitiveResultMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = PlainPrimitiveResultMetadata.from_dict(_metadata)

        plain_primitive_result = cls(
            results=results,
            metadata=metadata,
        )

        return plain_primitive_result
