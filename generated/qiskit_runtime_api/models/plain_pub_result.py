from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.plain_pub_result_data import PlainPubResultData
    from ..models.plain_pub_result_metadata import PlainPubResultMetadata


T = TypeVar("T", bound="PlainPubResult")


@_attrs_define
class PlainPubResult:
    """
    Attributes:
        data (PlainPubResultData): Sampler: one entry per classical register, `{"samples": ["0x3", ...], "num_bits":
            2}`.
            Estimator: `evs`, `stds`, `ensemble_standard_error` (numbers or nested lists shaped like the PUB).
        metadata (PlainPubResultMetadata | Unset):
    """

    data: PlainPubResultData
    metadata: PlainPubResultMetadata | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
            }
        )
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.plain_pub_result_data import PlainPubResultData
        from ..models.plain_pub_result_metadata import PlainPubResultMetadata

        d = dict(src_dict)
        data = PlainPubResultData.from_dict(d.pop("data"))

        _metadata = d.pop("metadata", UNSET)
        metadata: PlainPubResultMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = PlainPubResultMetadata.from_dict(_metadata)

        plain_pub_result = cls(
            data=data,
            metadata=metadata,
        )

        return plain_pub_result
