from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.typed_primitive_result_value_metadata import (
        TypedPrimitiveResultValueMetadata,
    )
    from ..models.typed_primitive_result_value_pub_results_item import (
        TypedPrimitiveResultValuePubResultsItem,
    )


T = TypeVar("T", bound="TypedPrimitiveResultValue")


@_attrs_define
class TypedPrimitiveResultValue:
    """
    Attributes:
        pub_results (list[TypedPrimitiveResultValuePubResultsItem]): `SamplerPubResult` or `PubResult` nodes:
            `{"__type__", "__value__": {"data", "metadata"}}`.
        metadata (TypedPrimitiveResultValueMetadata):
    """

    pub_results: list[TypedPrimitiveResultValuePubResultsItem]
    metadata: TypedPrimitiveResultValueMetadata

    def to_dict(self) -> dict[str, Any]:
        pub_results = []
        for pub_results_item_data in self.pub_results:
            pub_results_item = pub_results_item_data.to_dict()
            pub_results.append(pub_results_item)

        metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "pub_results": pub_results,
                "metadata": metadata,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.typed_primitive_result_value_metadata import (
            TypedPrimitiveResultValueMetadata,
        )
        from ..models.typed_primitive_result_value_pub_results_item import (
            TypedPrimitiveResultValuePubResultsItem,
        )

        d = dict(src_dict)
        pub_results = []
        _pub_results = d.pop("pub_results")
        for pub_results_item_data in _pub_results:
            pub_results_item = TypedPrimitiveResultValuePubResultsItem.from_dict(
                pub_results_item_data
            )

            pub_results.append(pub_results_item)

        metadata = TypedPrimitiveResultValueMetadata.from_dict(d.pop("metadata"))

        typed_primitive_result_value = cls(
            pub_results=pub_results,
            metadata=metadata,
        )

        return typed_primitive_result_value
